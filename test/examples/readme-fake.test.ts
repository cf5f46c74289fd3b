/**
 * The README's "Testing your code" example, as a user has it: taken from README.md, its package
 * imports pointed at this checkout's sources, type-checked with the repository's compiler options,
 * then run with vitest against the fake. The README's example cannot rot.
 *
 * Every other TypeScript block of README.md and docs/*.md is type-checked in the same program
 * (same tsc run, so it costs little): each block is a module of its own, its package imports
 * pointed at the sources, and the names the prose leaves to the reader (`astro`, `deploymentId`…)
 * declared once for all of them. A renamed method, option or export fails here.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
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

/** Where each package entry's source is, for imports written as a user writes them. */
const ENTRIES: Record<string, string> = {
  "astro-api-client": "src/index.js",
  "astro-api-client/testing": "src/testing/index.js",
  "astro-api-client/mock": "src/mock/index.js",
  "astro-api-client/v1beta1": "src/v1beta1/index.js",
};

function toSources(code: string): string {
  return code.replace(/from "(astro-api-client(?:\/\w+)?)"/g, (whole, entry: string) =>
    ENTRIES[entry] ? `from "${join(ROOT, ENTRIES[entry])}"` : whole,
  );
}

/**
 * The names samples use without declaring them: `createAstroClient`, the client and ids the prose
 * has introduced, a metrics sink, a progress bar, and vitest's hooks (a sample shows a test's body).
 */
const SAMPLE_GLOBALS = `
declare const createAstroClient: typeof import("${join(ROOT, "src/index.js")}").createAstroClient;
declare const astro: import("${join(ROOT, "src/index.js")}").AstroClient;
declare const token: string;
declare const organizationId: string;
declare const deploymentId: string;
declare const deployId: string;
declare const clusterId: string;
declare const workspaceId: string;
declare const buildId: string;
declare const created: { id: string };
declare const metrics: { record(event: unknown): void };
declare const bar: { update(fraction: number): void };
declare const beforeAll: typeof import("vitest").beforeAll;
declare const afterAll: typeof import("vitest").afterAll;
declare const it: typeof import("vitest").it;
declare const expect: typeof import("vitest").expect;
`;

/**
 * Every TypeScript block of README.md and docs/*.md but the "Testing your code" example (run
 * below) and blocks that import the repository's own files (contributor notes), as
 * `{ file, code }`, the file named after its source and line.
 */
async function sampleBlocks(): Promise<{ file: string; code: string }[]> {
  const docs = (await readdir(join(ROOT, "docs"))).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`);
  const blocks: { file: string; code: string }[] = [];
  for (const source of ["README.md", ...docs]) {
    const text = await readFile(join(ROOT, source), "utf8");
    for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
      const code = match[1]!;
      if (code === example || /from "\.\.?\//.test(code)) continue;
      const line = text.slice(0, match.index).split("\n").length;
      blocks.push({ file: `${source.replace(/\W/g, "-")}-L${line}.ts`, code });
    }
  }
  return blocks;
}

let dir: string;
let example: string;
let blocks: { file: string; code: string }[];

beforeAll(async () => {
  example = await readmeExample();
  dir = await mkdtemp(join(tmpdir(), "astro-readme-"));
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  await writeFile(join(dir, "readme-example.test.ts"), toSources(example));
  blocks = await sampleBlocks();
  await mkdir(join(dir, "samples"));
  await writeFile(join(dir, "samples", "globals.d.ts"), SAMPLE_GLOBALS);
  // `export {}` makes a block without imports a module too, so that its names stay its own.
  for (const { file, code } of blocks)
    await writeFile(join(dir, "samples", file), `${toSources(code)}\nexport {};\n`);
  // A user's ESM project, as the package's own.
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  await writeFile(
    join(dir, "tsconfig.json"),
    JSON.stringify({ extends: join(ROOT, "tsconfig.json"), include: ["readme-example.test.ts", "samples"] }),
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

it("finds the other samples: README.md's and the docs'", () => {
  const from = (prefix: string) => blocks.filter((b) => b.file.startsWith(prefix)).length;
  expect(from("README-md-")).toBeGreaterThanOrEqual(10);
  expect(from("docs-")).toBeGreaterThanOrEqual(6);
});

it("type-checks, with every other sample", { timeout: 180_000 }, async () => {
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
