/**
 * The lint configuration (eslint.config.js) on a small project made here with the repository's
 * package.json, tsconfig.json and node_modules: `npm run lint` reports the bug classes it exists
 * for (floating and misused promises, unsafe `any`) in src/, and the relaxations for tests and
 * node:test examples stay as narrow as their comments say.
 */
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT } from "../helpers/revisions.js";
import { runCommand } from "./run-command.js";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

const FILES: Record<string, string> = {
  "src/load.ts": `/** Resolves to one. */
export async function load(): Promise<number> {
  return Promise.resolve(1);
}
`,
  "src/bugs.ts": `import { load } from "./load.js";

export function run(items: number[]): void {
  load();
  items.forEach(async () => {
    await load();
  });
  const parsed: any = JSON.parse("{}");
  const size: number = parsed.size;
  console.log(size);
}
`,
  "src/clean.ts": `import { load } from "./load.js";

/** Awaits what it starts and narrows what it parses. */
export async function run(items: number[]): Promise<number> {
  await Promise.all(items.map(() => load()));
  const parsed = JSON.parse("{}") as unknown;
  return typeof parsed === "object" && parsed !== null ? items.length : 0;
}
`,
  "test/relaxed.test.ts": `import { load } from "../src/load.js";

function helpers() {
  return { twice: (n: number) => n * 2 };
}

export const token = async () => "t";
export const { twice } = helpers();
export function leak(): void {
  load();
}
`,
  "examples/node-test.ts": `import { test } from "node:test";

test("runs under node:test", async () => {
  await Promise.resolve();
});
`,
};

interface Finding {
  filePath: string;
  messages: { ruleId: string | null; line: number }[];
}

let dir: string;
let findings: Map<string, string[]>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "astro-lint-"));
  for (const file of ["package.json", "tsconfig.json", "eslint.config.js"])
    await cp(join(ROOT, file), join(dir, file));
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  for (const [path, content] of Object.entries(FILES)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  const result = await runCommand(NPM, ["run", "--silent", "lint", "--", "--format", "json"], dir);
  // ESLint exits 1 when it reports errors, 2 when it could not lint at all.
  expect(result.code, result.stderr).toBe(1);
  findings = new Map(
    (JSON.parse(result.stdout) as Finding[]).map((file) => [
      file.filePath.slice(dir.length + 1),
      file.messages.map((message) => `${message.line} ${message.ruleId ?? "(no rule)"}`),
    ]),
  );
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("reports floating and misused promises and unsafe `any` in src/", () => {
  expect(findings.get("src/bugs.ts")).toEqual([
    "4 @typescript-eslint/no-floating-promises",
    "5 @typescript-eslint/no-misused-promises",
    "8 @typescript-eslint/no-unsafe-assignment",
    "8 @typescript-eslint/no-explicit-any",
    "9 @typescript-eslint/no-unsafe-assignment",
    "9 @typescript-eslint/no-unsafe-member-access",
  ]);
});

it("passes code that awaits what it starts and narrows what it parses", () => {
  expect(findings.get("src/clean.ts")).toEqual([]);
  expect(findings.get("src/load.ts")).toEqual([]);
});

it("lets tests use async functions without await and destructured helpers, but not float promises", () => {
  expect(findings.get("test/relaxed.test.ts")).toEqual(["10 @typescript-eslint/no-floating-promises"]);
});

it("lets node:test's test() go unawaited in examples", () => {
  expect(findings.get("examples/node-test.ts")).toEqual([]);
});
