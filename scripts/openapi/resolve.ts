import { join } from "node:path";
import type { DocumentName } from "../../src/operations/manifest.js";
import { cacheFile, locatePinnedDocument, revisionDirs } from "../../src/mock/spec-files.js";
import type { Pin } from "./pins.js";

/** A pinned document's bytes, where they came from, and their verified hash. */
export interface ResolvedSpec {
  api: DocumentName;
  /** A file path or URL, for messages. */
  source: string;
  text: string;
  sha256: string;
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** Never download: a document found on no disk is a `SpecFileError` at once. */
  offline?: boolean;
}

/** The `fetch` of an offline lookup: fails at once, so nothing waits on a network that is not there. */
const refuseDownload: typeof fetch = () =>
  Promise.reject(new Error("not downloaded (offline: `generate --check` only reads files)"));

/**
 * Finds the pinned document of one API: in `ASTRO_OPENAPI_DIR`, then `../shared/astro-openapi`,
 * then the download cache, then the upstream URL (cached under `.cache/openapi/`). The first copy
 * found must match the pinned sha256; a mismatch is a `SpecHashError` that says how to move the
 * pin, never a reason to look further. The lookup itself is the mock's (src/mock/spec-files.ts).
 */
export async function resolveSpec(
  root: string,
  api: DocumentName,
  pin: Pin,
  options: ResolveOptions = {},
): Promise<ResolvedSpec> {
  const located = await locatePinnedDocument(
    { api, file: pin.file, sha256: pin.sha256, upstream: pin.upstream },
    {
      candidates: revisionDirs(root, options.env).map((dir) => join(dir, pin.file)),
      cacheFile: cacheFile(root, api, pin.sha256),
      fetch: options.offline ? refuseDownload : options.fetch,
      mismatchAdvice: (source) =>
        `Nothing was generated. If this document is the revision you want, update the pin with:\n` +
        `  npm run specs:update -- --api ${api} --from ${source}`,
    },
  );
  return { api, source: located.source, text: located.text, sha256: located.sha256 };
}
