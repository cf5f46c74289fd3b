/**
 * `npm run build`: the published package, in `dist/`.
 *
 *   dist/index.js   dist/index.cjs   dist/index.d.ts   dist/index.d.cts     ← "astro-api-client" (v1)
 *   dist/v1beta1.js dist/v1beta1.cjs dist/v1beta1.d.ts dist/v1beta1.d.cts   ← "astro-api-client/v1beta1"
 *   dist/mock.js    dist/mock.cjs    dist/mock.d.ts    dist/mock.d.cts      ← "astro-api-client/mock"
 *   dist/testing.js dist/testing.cjs dist/testing.d.ts dist/testing.d.cts   ← "astro-api-client/testing"
 *   dist/openapi/v1.facts.json  dist/openapi/platform.facts.json  dist/openapi/iam.facts.json
 *                                                                           ← what the mock serves
 *
 * The declaration files bundle the generated types (`generated/*.ts` is not published on its
 * own); openapi-fetch, bottleneck and ioredis stay external, and so does ajv (an optional peer
 * of the fake, loaded when it starts). The mock serves the facts-only documents the generator
 * derived from the pinned ones (`generated/<api>.facts.json`, no prose): the build reads nothing
 * outside the repository, and the package redistributes none of Astronomer's text.
 *
 * Both client entries run on one runtime: shared code goes in chunks (`splitting`, for CJS too),
 * and the per-process state that must be one per process whatever is loaded (the throttle's
 * budgets, the v1beta1 deprecation warning) lives on `globalThis` under registered symbols, so
 * even a process that loads the ESM and the CJS build keeps one budget per token.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "tsup";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { factsFileName } from "./src/mock/facts.js";
import { writeFilesAtomically } from "./src/mock/files.js";
import { DOCUMENT_NAMES } from "./src/operations/manifest.js";
import { mergeEntryChunks } from "./scripts/build/merge-chunks.js";
import { mapRedisChunks } from "./scripts/build/redis-imports.js";

const ROOT = fileURLToPath(new URL(".", import.meta.url));

/** Copies the facts-only documents into `dist/openapi/`, each written under a temporary name first. */
async function copyFactsDocuments(): Promise<void> {
  const files: Record<string, string> = {};
  for (const api of DOCUMENT_NAMES)
    files[factsFileName(api)] = await readFile(join(ROOT, "generated", factsFileName(api)), "utf8");
  // A mock started meanwhile must never read half a document (it would fail the hash check).
  const dir = join(ROOT, "dist", "openapi");
  await writeFilesAtomically(dir, files);
  // Copies of Astronomer's documents an older build put here must not be packed.
  for (const name of await readdir(dir))
    if (!(name in files) && !name.startsWith(".")) await rm(join(dir, name), { force: true });
}

/**
 * Removes the bare `import './chunk-….js';` lines esbuild's code splitting leaves in the ESM
 * chunks. They only order the evaluation of chunks the importer uses nothing from, and every
 * chunk is free of side effects (`sideEffects: false`): an app's bundler would drop them anyway,
 * with one warning each ("Ignoring this import…"), and Node would load modules the entry does
 * not need (issue #27: the minimal script bundles with no warnings; the entry imports quickly).
 */
async function dropBareChunkImports(): Promise<void> {
  const dir = join(ROOT, "dist");
  for (const name of await readdir(dir)) {
    if (!name.endsWith(".js")) continue;
    const file = join(dir, name);
    const text = await readFile(file, "utf8");
    const kept = text.replace(/^import '\.\/chunk-[A-Z0-9]+\.js';\n/gm, "");
    if (kept !== text) await writeFile(file, kept);
  }
}

export default defineConfig({
  entry: {
    index: "src/index.ts",
    v1beta1: "src/v1beta1/index.ts",
    mock: "src/mock/index.ts",
    testing: "src/testing/index.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  // `import.meta.url` (the mock finds its package and Prism with it) becomes `__filename`-based in CJS.
  shims: true,
  platform: "node",
  target: "node20",
  sourcemap: false,
  // Everything but the documents (and copies of the pinned ones an older build left), which are replaced in place (a test may be starting the mock
  // from them while the packaging test builds).
  clean: ["!openapi/**"],
  // The published package has no side effects at import; shared code goes in chunks.
  splitting: true,
  treeshake: true,
  onSuccess: async () => {
    await dropBareChunkImports();
    // The main entry then loads one chunk before its first call instead of nine (issue #27).
    await mergeEntryChunks(join(ROOT, "dist"), "index.js");
    // Browser and edge-worker bundles get a stub instead of the Redis limiter (package.json `imports`).
    await mapRedisChunks(join(ROOT, "dist"));
    await copyFactsDocuments();
  },
});
