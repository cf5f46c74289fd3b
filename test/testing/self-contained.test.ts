/**
 * The fake runs anywhere: copied away from the checkout with only the sources, generated/ and
 * node_modules — no ../shared, no openapi/ — it starts and serves.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const SCRIPT = `
import { startAstroFake } from "./src/testing/index.js";
const fake = await startAstroFake();
const base = \`\${fake.url}/v1/organizations/\${fake.organizationId}/workspaces\`;
const headers = { authorization: \`Bearer \${fake.token}\`, "content-type": "application/json" };
const created = await fetch(base, { method: "POST", headers, body: JSON.stringify({ name: "w" }) });
const invalid = await fetch(base, { method: "POST", headers, body: JSON.stringify({ name: 1 }) });
const list = await (await fetch(base, { headers })).json();
console.log(JSON.stringify({ created: created.status, invalid: invalid.status, totalCount: list.totalCount }));
await fake.close();
`;

it("starts and serves from a copy with no OpenAPI document anywhere", async () => {
  const dir = await mkdtemp(join(tmpdir(), "astro-fake-"));
  try {
    await cp(join(ROOT, "src"), join(dir, "src"), { recursive: true });
    await cp(join(ROOT, "generated"), join(dir, "generated"), { recursive: true });
    await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    await writeFile(join(dir, "run.ts"), SCRIPT);
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "run.ts"], {
      cwd: dir,
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual({ created: 200, invalid: 400, totalCount: 1 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
