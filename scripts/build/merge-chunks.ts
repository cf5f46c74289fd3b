/**
 * Merges the ESM chunks an entry loads before its first call into one chunk (issue #27).
 *
 * esbuild's code splitting makes one chunk per set of entries (and lazy `import()` targets) that
 * share a module, so the main entry loaded nine small chunks. Node loads the modules of an ESM
 * graph one by one (resolve, read, compile, link), and each costs about as much as parsing a
 * large file: loading the same code as one chunk was measured at half the import time. The
 * merged chunk is esbuild's bundle of those chunks (`export *` of each), so every name any file
 * imported from them is exported by it under the same name; every `./chunk-….js` specifier that
 * named one of them is rewritten to it. Lazy chunks (`import()` targets) are never merged.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";

/** A specifier of a chunk in the same folder, in `from '…'`, `import '…'` or `import('…')`. */
const CHUNK_SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])\.\/(chunk-[A-Z0-9]+\.js)\2/g;

/** Static imports only (`from './x.js'`, `import './x.js'`): what is loaded before the code runs. */
const STATIC_CHUNK_IMPORT = /(?:\bfrom\s*|\bimport\s+)['"]\.\/(chunk-[A-Z0-9]+\.js)['"]/g;

/** `import { a, b as c } from './chunk-X.js'` and `export { a as b } from './chunk-X.js'`. */
const NAMED_CHUNK_IMPORT = /\b(?:import|export)\s*\{([^}]*)\}\s*from\s*['"]\.\/(chunk-[A-Z0-9]+\.js)['"]/g;

/** A local `export { a, b as c };` statement (how esbuild ends a chunk), not a re-export. */
const EXPORT_LIST = /^export\s*\{([^}]*)\};?$/gm;

/**
 * The names of a `{ a, b as c }` list: on the `local` side (`a`, `b`: what an import takes from the
 * module) or the `exported` side (`a`, `c`: what an export list makes visible).
 */
function listNames(list: string, side: "local" | "exported"): string[] {
  return list
    .split(",")
    .map((item) => item.trim().split(/\s+as\s+/))
    .map((parts) => (side === "local" ? parts[0] : parts.at(-1))!)
    .filter(Boolean);
}

/** The names a module's `export { … };` statements export. */
function exportsOf(text: string): string[] {
  return [...text.matchAll(EXPORT_LIST)].flatMap(([, list]) => listNames(list!, "exported"));
}

/** The `// src/….ts` lines esbuild writes before each module; kept so the merged chunk says what it holds. */
const MODULE_MARKER = /^\/\/ (?:src|generated)\/\S+\.ts$/gm;

/** The chunks `entry` loads statically, followed through the chunks themselves. */
function staticChunks(files: ReadonlyMap<string, string>, entry: string): string[] {
  const found = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const text = files.get(pending.pop()!) ?? "";
    for (const [, chunk] of text.matchAll(STATIC_CHUNK_IMPORT)) {
      if (found.has(chunk!)) continue;
      found.add(chunk!);
      pending.push(chunk!);
    }
  }
  return [...found].sort();
}

/** Every name some file imports (or re-exports) from one of `chunks`. */
function namesImportedFrom(files: ReadonlyMap<string, string>, chunks: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  for (const text of files.values())
    for (const [, list, chunk] of text.matchAll(NAMED_CHUNK_IMPORT)) {
      if (!chunks.has(chunk!)) continue;
      for (const name of listNames(list!, "local")) names.add(name);
    }
  return names;
}

/**
 * Merges the chunks `entry` (an ESM file in `dir`) loads statically into one; a no-op when it
 * loads one or none. Throws, and leaves `dir` as it was, when two of the chunks export one name
 * or the merged chunk would not export a name some file imports.
 */
export async function mergeEntryChunks(dir: string, entry: string): Promise<void> {
  const files = new Map<string, string>();
  for (const name of await readdir(dir))
    if (name.endsWith(".js")) files.set(name, await readFile(join(dir, name), "utf8"));
  const merged = staticChunks(files, entry);
  if (merged.length < 2) return;
  const mergedSet = new Set(merged);
  const fail = (why: string) => new Error(`merging ${merged.join(", ")}: ${why}`);
  const exportsByChunk = new Map(merged.map((chunk) => [chunk, exportsOf(files.get(chunk)!)]));
  const exporter = new Map<string, string>();
  for (const [chunk, names] of exportsByChunk)
    for (const name of names) {
      if (exporter.has(name)) throw fail(`${exporter.get(name)} and ${chunk} both export ${name}`);
      exporter.set(name, chunk);
    }

  const result = await build({
    stdin: {
      // Named re-exports, not `export *`: esbuild drops a name two stars export without a word.
      contents: [...exportsByChunk]
        .map(([chunk, names]) => `export { ${names.join(", ")} } from "./${chunk}";`)
        .join("\n"),
      resolveDir: dir,
      loader: "js",
    },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    logLevel: "silent",
    banner: { js: merged.flatMap((chunk) => files.get(chunk)!.match(MODULE_MARKER) ?? []).join("\n") },
    plugins: [
      {
        name: "only-the-merged-chunks",
        setup(on) {
          // Packages, built-ins and the lazy chunks stay imports of the merged chunk.
          on.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === "entry-point") return undefined;
            const chunk = /^\.\/(chunk-[A-Z0-9]+\.js)$/.exec(args.path)?.[1];
            if (chunk && mergedSet.has(chunk)) return undefined;
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  if (result.warnings.length > 0) throw fail(JSON.stringify(result.warnings));
  const code = result.outputFiles[0]!.text;
  // Checked on the code itself (esbuild's metafile lists names its output does not export).
  const exported = new Set(exportsOf(code));
  const missing = [...namesImportedFrom(files, mergedSet)].filter((name) => !exported.has(name));
  if (missing.length > 0) throw fail(`the merged chunk would not export ${missing.join(", ")}`);
  const name = `chunk-${createHash("sha256").update(code).digest("hex").slice(0, 8).toUpperCase()}.js`;
  await writeFile(join(dir, name), code);
  for (const [file, text] of files) {
    if (mergedSet.has(file)) continue;
    const rewritten = text.replace(CHUNK_SPECIFIER, (whole, before: string, quote: string, chunk: string) =>
      mergedSet.has(chunk) ? `${before}${quote}./${name}${quote}` : whole,
    );
    if (rewritten !== text) await writeFile(join(dir, file), rewritten);
  }
  for (const chunk of merged) await rm(join(dir, chunk));
}
