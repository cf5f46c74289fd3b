/**
 * Merging the chunks an entry loads (scripts/build/merge-chunks.ts), on a small package split by
 * esbuild as tsup splits ours: two entries sharing modules (one shared by both, one by the main
 * entry and a lazy module) and a lazy module. After the merge the main entry loads one chunk,
 * both entries and the lazy module still share one copy of each module, and the lazy module
 * stays a chunk of its own.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { mergeEntryChunks } from "../../scripts/build/merge-chunks.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const SOURCES: Record<string, string> = {
  "errors.ts": "export class SharedError extends Error {}\n",
  "helper.ts": "export const describe = (x: unknown) => `<${String(x)}>`;\n",
  "lazy.ts": 'import { describe } from "./helper.js";\nexport const lazyText = () => describe("lazy");\n',
  "index.ts": [
    'export { SharedError } from "./errors.js";',
    'import { describe } from "./helper.js";',
    "export const text = () => describe(1);",
    'export const loadLazy = () => import("./lazy.js");',
  ].join("\n"),
  "other.ts": [
    'import { SharedError } from "./errors.js";',
    'export const fail = () => { throw new SharedError("x"); };',
  ].join("\n"),
};

/** The static `./chunk-….js` imports of each `.js` file in `dir`. */
async function staticImports(dir: string): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const name of await readdir(dir)) {
    if (!name.endsWith(".js")) continue;
    const text = await readFile(join(dir, name), "utf8");
    result[name] = [...text.matchAll(/\bfrom\s*['"]\.\/(chunk-[A-Z0-9]+\.js)['"]/g)].map((m) => m[1]!);
  }
  return result;
}

/** The fixture package, built with splitting into `dist/`. */
async function splitPackage(sources: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "astro-merge-"));
  dirs.push(root);
  await mkdir(join(root, "src"));
  for (const [name, text] of Object.entries(sources)) await writeFile(join(root, "src", name), text);
  await build({
    entryPoints: { index: join(root, "src/index.ts"), other: join(root, "src/other.ts") },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    outdir: join(root, "dist"),
    logLevel: "silent",
  });
  return join(root, "dist");
}

describe("mergeEntryChunks", () => {
  it("leaves the entry one chunk to load, one copy of each module, and the lazy module apart", async () => {
    const dist = await splitPackage(SOURCES);
    // The fixture reproduces the problem: the main entry loads two chunks.
    expect(new Set((await staticImports(dist))["index.js"]).size).toBe(2);

    await mergeEntryChunks(dist, "index.js");

    const imports = await staticImports(dist);
    const chunks = Object.keys(imports).filter((name) => name.startsWith("chunk-"));
    expect(chunks).toHaveLength(1);
    expect(new Set(imports["index.js"])).toEqual(new Set(chunks));
    expect(imports[chunks[0]!]).toEqual([]);
    const lazy = Object.keys(imports).find((name) => name.startsWith("lazy-"))!;
    expect(lazy).toBeDefined();

    const index = (await import(pathToFileURL(join(dist, "index.js")).href)) as {
      SharedError: typeof Error;
      text: () => string;
      loadLazy: () => Promise<{ lazyText: () => string }>;
    };
    const other = (await import(pathToFileURL(join(dist, "other.js")).href)) as { fail: () => never };
    expect(index.text()).toBe("<1>");
    expect((await index.loadLazy()).lazyText()).toBe("<lazy>");
    // One class for both entries: an error thrown by one is an instance of the other's export.
    expect(() => other.fail()).toThrow(index.SharedError);
  });

  it("refuses, leaving the files as they were, when two chunks export one name", async () => {
    const dist = await mkdtemp(join(tmpdir(), "astro-merge-"));
    dirs.push(dist);
    const files: Record<string, string> = {
      "index.js":
        "import { x } from './chunk-AAAAAAAA.js';\nimport { y } from './chunk-BBBBBBBB.js';\nexport { x, y };\n",
      "chunk-AAAAAAAA.js": "var x = 1;\nvar y = 2;\nexport { x, y };\n",
      "chunk-BBBBBBBB.js": "var y = 3;\nexport { y };\n",
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(dist, name), text);
    await expect(mergeEntryChunks(dist, "index.js")).rejects.toThrow(
      /chunk-AAAAAAAA.js and chunk-BBBBBBBB.js both export y/,
    );
    expect((await readdir(dist)).sort()).toEqual(Object.keys(files).sort());
    for (const [name, text] of Object.entries(files))
      expect(await readFile(join(dist, name), "utf8")).toBe(text);
  });

  /** Every file of `dir` with its text. */
  async function contents(dir: string): Promise<Record<string, string>> {
    const result: Record<string, string> = {};
    for (const name of (await readdir(dir)).sort()) result[name] = await readFile(join(dir, name), "utf8");
    return result;
  }

  it("does nothing to an entry that loads one chunk or none", async () => {
    const none = await splitPackage({
      "index.ts": "export const a = 1;\n",
      "other.ts": "export const b = 2;\n",
    });
    // One module shared by both entries: one chunk, which both load.
    const one = await splitPackage({
      "shared.ts": "export const shared = () => 1;\n",
      "index.ts": 'export { shared } from "./shared.js";\n',
      "other.ts": 'import { shared } from "./shared.js";\nexport const b = shared() + 1;\n',
    });
    expect((await staticImports(one))["index.js"]).toHaveLength(1);
    for (const dist of [none, one]) {
      const before = await contents(dist);
      await mergeEntryChunks(dist, "index.js");
      expect(await contents(dist)).toEqual(before);
    }
  });
});
