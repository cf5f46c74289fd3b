/**
 * The generator's formatter keeps what prettier printed on disk (scripts/shared/prettier.ts), named
 * by a hash of the source and options, so the next process that formats the same source reads it
 * instead of formatting again. What is kept must be exactly what prettier prints.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import * as prettier from "prettier";
import { writeFile } from "node:fs/promises";
import { describe, expect, it, vi } from "vitest";
import { REPO_ROOT } from "../../scripts/shared/repo-root.js";
import { FORMAT_CACHE_DIR as CACHE, formatJson, formatTypeScript } from "../../scripts/shared/prettier.js";

/** The cache's entries whose text is `text`. */
async function entriesHolding(text: string): Promise<string[]> {
  const names = await readdir(CACHE).catch(() => [] as string[]);
  const held: string[] = [];
  for (const name of names)
    if ((await readFile(join(CACHE, name), "utf8").catch(() => "")) === text) held.push(name);
  return held;
}

describe("the formatter's disk cache", () => {
  it("keeps prettier's own output under a hash name, one entry per source and parser", async () => {
    const unique = `u${Date.now()}${Math.random().toString(36).slice(2)}`;
    const source = `export const ${unique}={a:1,b:[1,2,3]}`;
    const options = { ...((await prettier.resolveConfig(join(REPO_ROOT, "package.json"))) ?? {}) };
    const expected = await prettier.format(source, { ...options, parser: "babel-ts" });
    expect(await formatTypeScript(source)).toBe(expected);
    const held = await entriesHolding(expected);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatch(/^[0-9a-f]{64}$/);
    // Another parser is another entry, even for a source that formats alike.
    const json = `{"${unique}":[1,2]}`;
    const jsonExpected = await prettier.format(json, { ...options, parser: "json" });
    expect(await formatJson(json)).toBe(jsonExpected);
    expect(await entriesHolding(jsonExpected)).toHaveLength(1);
  });

  it("serves a text it kept to a formatter that has not seen the source", async () => {
    const source = `export const k${Date.now()}${Math.random().toString(36).slice(2)}={a:1}`;
    const formatted = await formatTypeScript(source);
    const [name] = await entriesHolding(formatted);
    expect(name).toBeDefined();
    // The entry is replaced on disk; a fresh copy of the module (no memory of the source) must
    // return what the disk holds, not format again.
    await writeFile(join(CACHE, name!), "// served from disk\n");
    vi.resetModules();
    const fresh = await import("../../scripts/shared/prettier.js");
    expect(await fresh.formatTypeScript(source)).toBe("// served from disk\n");
  });
});
