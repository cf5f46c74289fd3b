/**
 * The README's promise for optional peer dependencies: a missing one is an `AstroConfigError`
 * naming the `npm install` to run. For the mock, that is `@stoplight/prism-cli`. This checkout has
 * it installed, so the test runs a copy of `src/` and `generated/` from a folder with no
 * `node_modules` above it, where Prism cannot be resolved.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT } from "../helpers/revisions.js";

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "astro-no-prism-"));
  await cp(join(ROOT, "src"), join(dir, "src"), { recursive: true });
  await cp(join(ROOT, "generated"), join(dir, "generated"), { recursive: true });
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  await writeFile(
    join(dir, "start.ts"),
    [
      'import { AstroConfigError, AstroError } from "./src/errors/error-classes.js";',
      'import { startAstroMock } from "./src/mock/index.js";',
      "try {",
      "  await startAstroMock();",
      "  console.log(JSON.stringify({ started: true }));",
      "} catch (error) {",
      "  const e = error as Error;",
      "  console.log(JSON.stringify({ name: e.name, config: e instanceof AstroConfigError, astro: e instanceof AstroError, message: e.message }));",
      "}",
    ].join("\n"),
  );
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("without @stoplight/prism-cli, startAstroMock() rejects with an AstroConfigError naming the install", async () => {
  const tsx = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "esm", "index.mjs")).href;
  const { stdout } = await run(process.execPath, ["--import", tsx, join(dir, "start.ts")], { cwd: dir });
  const outcome = JSON.parse(stdout.trim()) as Record<string, unknown>;
  expect(outcome).toMatchObject({ name: "AstroConfigError", config: true, astro: true });
  expect(outcome.message).toContain("npm install --save-dev @stoplight/prism-cli@");
});
