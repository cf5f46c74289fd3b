import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PipelineError } from "./errors.js";
import type { ApiName, Pin } from "./pins.js";

/** A pinned document's bytes, where they came from, and their verified hash. */
export interface ResolvedSpec {
  api: ApiName;
  /** A file path or URL, for messages. */
  source: string;
  text: string;
  sha256: string;
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The folders searched for revisions, in order: `ASTRO_OPENAPI_DIR`, then `../shared/astro-openapi`. */
export function revisionDirs(root: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  if (env.ASTRO_OPENAPI_DIR) dirs.push(resolve(root, env.ASTRO_OPENAPI_DIR));
  dirs.push(resolve(root, "..", "shared", "astro-openapi"));
  return dirs;
}

export function cacheFile(root: string, api: ApiName, hash: string): string {
  return join(root, ".cache", "openapi", `${api}-${hash}.yaml`);
}

export class HashMismatchError extends PipelineError {
  override name = "HashMismatchError";
  constructor(
    readonly api: ApiName,
    readonly source: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `${api}: the document at ${source} has sha256 ${actual}, but openapi/pins.json pins ${expected}.\n` +
        `Nothing was generated. If this document is the revision you want, update the pin with:\n` +
        `  npm run specs:update -- --api ${api} --from ${source}`,
    );
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new PipelineError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function verified(api: ApiName, pin: Pin, source: string, text: string): ResolvedSpec {
  const actual = sha256(text);
  if (actual !== pin.sha256) throw new HashMismatchError(api, source, pin.sha256, actual);
  return { api, source, text, sha256: actual };
}

export interface ResolveOptions {
  onLoaded?: (api: ApiName, ms: number) => void;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

/**
 * Finds the pinned document of one API: in `ASTRO_OPENAPI_DIR`, then `../shared/astro-openapi`,
 * then the download cache, then the upstream URL (cached under `.cache/openapi/`). The first copy
 * found must match the pinned sha256; a mismatch is an error, never a reason to look further.
 */
export async function resolveSpec(
  root: string,
  api: ApiName,
  pin: Pin,
  options: ResolveOptions = {},
): Promise<ResolvedSpec> {
  for (const dir of revisionDirs(root, options.env)) {
    const file = join(dir, pin.file);
    const text = await readIfExists(file);
    if (text !== undefined) return verified(api, pin, file, text);
  }
  const cached = cacheFile(root, api, pin.sha256);
  const text = await readIfExists(cached);
  if (text !== undefined) return verified(api, pin, cached, text);

  const downloaded = await download(pin.upstream, options.fetch ?? fetch);
  const spec = verified(api, pin, pin.upstream, downloaded);
  await mkdir(join(root, ".cache", "openapi"), { recursive: true });
  await writeFile(`${cached}.tmp`, downloaded);
  await rename(`${cached}.tmp`, cached);
  return spec;
}

/** Downloads a document, turning every failure into a message that says what was tried. */
export async function download(url: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new PipelineError(
      `cannot download ${url}: ${(error as Error).message}. ` +
        `Set ASTRO_OPENAPI_DIR to a folder of revisions laid out like ../shared/astro-openapi to work offline.`,
    );
  }
  if (!response.ok)
    throw new PipelineError(`cannot download ${url}: HTTP ${response.status} ${response.statusText}`);
  return response.text();
}
