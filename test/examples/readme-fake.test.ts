/**
 * The README's "Testing your code" example, as a user has it: taken from README.md, its package
 * imports pointed at this checkout's sources, type-checked with the repository's compiler options,
 * then run with vitest against the fake. The README's example cannot rot.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT } from "../helpers/revisions.js";

const run = promisify(execFile);
const SECTION = "## Testing your code";

/** The first TypeScript block of the README's section. */
async function readmeExample(): Promise<string> {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(SECTION));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!readme.includes(SECTION) || !block)
    throw new Error(`README.md has no TypeScript block under ${SECTION}`);
  return block[1]!;
}

let dir: string;
let example: string;

beforeAll(async () => {
  example = await readmeExample();
  dir = await mkdtemp(join(tmpdir(), "astro-readme-"));
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const local = example
    .replace('from "astro-api-client/testing"', `from "${join(ROOT, "src", "testing", "index.js")}"`)
    .replace('from "astro-api-client"', `from "${join(ROOT, "src", "index.js")}"`);
  await writeFile(join(dir, "readme-example.test.ts"), local);
  // A user's ESM project, as the package's own.
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  await writeFile(
    join(dir, "tsconfig.json"),
    JSON.stringify({ extends: join(ROOT, "tsconfig.json"), include: ["readme-example.test.ts"] }),
  );
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("imports the SDK and the fake by their package names", () => {
  expect(example).toContain('from "astro-api-client";');
  expect(example).toContain('from "astro-api-client/testing";');
  expect(example).toContain("startAstroFake(");
});

it("type-checks", { timeout: 180_000 }, async () => {
  const tsc = join(ROOT, "node_modules", ".bin", "tsc");
  const result = await run(tsc, ["-p", join(dir, "tsconfig.json")]).catch((error: unknown) => error);
  expect(result, (result as { stdout?: string }).stdout).not.toBeInstanceOf(Error);
});

it("passes, run with vitest against the fake", { timeout: 180_000 }, async () => {
  const vitest = join(ROOT, "node_modules", ".bin", "vitest");
  const result = await run(vitest, ["run", "--root", dir, "--reporter", "verbose"], {
    cwd: dir,
    env: { ...process.env, CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" },
  }).catch((error: { stdout?: string; stderr?: string }) => error);
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  expect(output).toMatch(/✓ .*creates a workspace, reads it back and deletes it/);
  expect(output).toMatch(/✓ .*waits for a new deployment to become healthy/);
  expect(output).toMatch(/Tests\s+2 passed \(2\)/);
});
