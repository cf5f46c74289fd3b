/**
 * Footprint (issue #27): what the SDK costs an app before its first call, against openapi-fetch.
 *
 * - Bundle: esbuild bundles a minimal script (`createAstroClient` + `getDeployment`) from the
 *   built package, minified, for `--platform=node` and `--platform=browser`, no externals; sizes
 *   minified and gzipped (level 9). The same for openapi-fetch's minimal script (`createClient` +
 *   one `GET`).
 * - Split: the same SDK script with `--splitting --format=esm` (browser): the entry chunk and the
 *   chunks it imports statically — what a page or worker loads before its first call — and the
 *   chunks loaded by `import()` at the first workflow or Redis call; each chunk gzipped on its
 *   own (as it is served), then summed.
 * - Import: a fresh Node process per sample times `await import()` of the package's main entry
 *   (`performance.now()` around it), alternating with openapi-fetch; medians of each.
 *
 * Needs `npm run build` (bench/run.ts builds first). Alone: `npx tsx bench/footprint.ts`.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { isMain, median, runSection } from "./lib/section.js";
import { bundleSplit } from "../test/runtimes/bundle.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const IMPORT_SAMPLES = 15;

/** Bytes of a minimal bundle, minified and gzipped, with esbuild's warning count. */
export interface BundleSize {
  minified: number;
  gzipped: number;
  warnings: number;
}

/** Bytes of some chunks of a split bundle, minified, and gzipped chunk by chunk. */
export interface ChunksSize {
  chunks: number;
  minified: number;
  gzipped: number;
}

export interface FootprintResult {
  bundle: Record<"node" | "browser", { sdk: BundleSize; openapiFetch: BundleSize }>;
  /** The SDK's minimal script with `--splitting` (browser); absent in results written before it. */
  split?: { loaded: ChunksSize; lazy: ChunksSize; warnings: number };
  importMs: { sdk: number; openapiFetch: number; samples: number };
}

const SDK_SCRIPT = `
import { createAstroClient } from "astro-api-client";
const astro = createAstroClient({ token: "t", organizationId: "o" });
export const run = () => astro.getDeployment({ deploymentId: "d" });
`;

const OPENAPI_FETCH_SCRIPT = `
import createClient from "openapi-fetch";
const client = createClient({ baseUrl: "https://api.astronomer.io/v1", headers: { authorization: "Bearer t" } });
export const run = () => client.GET("/organizations/{organizationId}/deployments/{deploymentId}", {
  params: { path: { organizationId: "o", deploymentId: "d" } },
});
`;

const IMPORT_SCRIPT = `
const started = performance.now();
await import(process.argv[2]);
console.log(performance.now() - started);
`;

/** A consumer folder whose node_modules holds the built package and openapi-fetch. */
async function consumer(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "astro-footprint-"));
  await mkdir(join(dir, "node_modules"));
  await symlink(ROOT, join(dir, "node_modules", "astro-api-client"), "dir");
  await symlink(
    join(ROOT, "node_modules", "openapi-fetch"),
    join(dir, "node_modules", "openapi-fetch"),
    "dir",
  );
  await writeFile(join(dir, "import.mjs"), IMPORT_SCRIPT);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

async function bundleSize(dir: string, contents: string, platform: "node" | "browser"): Promise<BundleSize> {
  const result = await build({
    stdin: { contents, resolveDir: dir, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  return {
    minified: code.length,
    gzipped: gzipSync(code, { level: 9 }).length,
    warnings: result.warnings.length,
  };
}

function chunksSize(chunks: Record<string, string>): ChunksSize {
  const texts = Object.values(chunks).map((text) => Buffer.from(text));
  return {
    chunks: texts.length,
    minified: texts.reduce((sum, bytes) => sum + bytes.length, 0),
    gzipped: texts.reduce((sum, bytes) => sum + gzipSync(bytes, { level: 9 }).length, 0),
  };
}

async function splitSize(dir: string): Promise<NonNullable<FootprintResult["split"]>> {
  const { loaded, lazy, warnings } = await bundleSplit(SDK_SCRIPT, dir);
  return { loaded: chunksSize(loaded), lazy: chunksSize(lazy), warnings: warnings.length };
}

async function importMs(dir: string, specifier: string): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(dir, "import.mjs"), specifier], {
    cwd: dir,
  });
  return Number(stdout.trim());
}

export async function measureFootprint(): Promise<FootprintResult> {
  const { dir, remove } = await consumer();
  try {
    const bundle = {} as FootprintResult["bundle"];
    for (const platform of ["node", "browser"] as const) {
      bundle[platform] = {
        sdk: await bundleSize(dir, SDK_SCRIPT, platform),
        openapiFetch: await bundleSize(dir, OPENAPI_FETCH_SCRIPT, platform),
      };
    }
    const split = await splitSize(dir);
    const sdk: number[] = [];
    const openapiFetch: number[] = [];
    // Alternated, so a busy moment of the machine falls on both.
    for (let i = 0; i < IMPORT_SAMPLES; i++) {
      sdk.push(await importMs(dir, "astro-api-client"));
      openapiFetch.push(await importMs(dir, "openapi-fetch"));
    }
    return {
      bundle,
      split,
      importMs: { sdk: median(sdk), openapiFetch: median(openapiFetch), samples: IMPORT_SAMPLES },
    };
  } finally {
    await remove();
  }
}

if (isMain(import.meta.url)) await runSection("footprint", measureFootprint);
