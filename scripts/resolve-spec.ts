import { join } from "node:path";
import {
  cacheFile,
  download as downloadDocument,
  locatePinnedDocument,
  revisionDirs,
  sha256,
  SpecFileError,
} from "../src/mock/spec-files.js";
import { PipelineError } from "./errors.js";
import type { ApiName, Pin } from "./pins.js";

// The lookup, hashing and download live in src/mock/spec-files.ts, shared with the mock; this
// module keeps the pipeline's names and turns failures into PipelineErrors.
export { cacheFile, revisionDirs, sha256 };

/** A pinned document's bytes, where they came from, and their verified hash. */
export interface ResolvedSpec {
  api: ApiName;
  /** A file path or URL, for messages. */
  source: string;
  text: string;
  sha256: string;
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

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

/** Runs `work`, reporting a lookup failure as a PipelineError (the CLI prints it without a stack). */
async function asPipelineError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SpecFileError) throw new PipelineError(error.message, { cause: error });
    throw error;
  }
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
  const located = await asPipelineError(() =>
    locatePinnedDocument(
      { api, file: pin.file, sha256: pin.sha256, upstream: pin.upstream },
      {
        candidates: revisionDirs(root, options.env).map((dir) => join(dir, pin.file)),
        cacheFile: cacheFile(root, api, pin.sha256),
        fetch: options.fetch,
        mismatch: (source, actual) => new HashMismatchError(api, source, pin.sha256, actual),
      },
    ),
  );
  return { api, source: located.source, text: located.text, sha256: located.sha256 };
}

/** Downloads a document, turning every failure into a message that says what was tried. */
export function download(url: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  return asPipelineError(() => downloadDocument(url, fetchImpl));
}
