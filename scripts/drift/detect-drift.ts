import { SpecHashError } from "../../src/mock/spec-files.js";
import type { DocumentName } from "../../src/operations/manifest.js";
import { loadSpec } from "../openapi/load.js";
import type { Pin, Pins } from "../openapi/pins.js";
import { resolveSpec } from "../openapi/resolve.js";
import { PipelineError } from "../shared/errors.js";
import { diffSpecs } from "./diff-document.js";
import type { DiffReport } from "./render-report.js";
import { newestRevision, type Revision, type SourceOptions } from "./revision-source.js";

export interface DriftOptions extends SourceOptions {
  apis: readonly DocumentName[];
  /** A file, a revisions folder or a URL; see `newestRevision` for the default. */
  from?: string;
}

/** One API's pin compared with the newest revision available. */
export interface Drift {
  api: DocumentName;
  pin: Pin;
  newest: Revision;
  /** The diff from the pinned document to the newest; absent when the pin is the newest. */
  report?: DiffReport;
}

async function pinnedDocument(root: string, api: DocumentName, pin: Pin, options: SourceOptions) {
  try {
    const resolved = await resolveSpec(root, api, pin, { env: options.env, fetch: options.fetch });
    return await loadSpec(resolved.text, resolved.source);
  } catch (error) {
    // Upstream serves only its newest document: once it moved, the pinned one must come from a
    // revisions folder or the download cache, and the generic hash-mismatch advice would mislead.
    if (error instanceof SpecHashError && error.source === pin.upstream) {
      throw new PipelineError(
        `${api}: cannot diff against the pin: revision ${pin.revision} (sha256 ${pin.sha256}) is not in a revisions ` +
          `folder or .cache/openapi/, and ${pin.upstream} now serves another document (sha256 ${error.actual}). ` +
          `Set ASTRO_OPENAPI_DIR to a folder that holds ${pin.file}.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Compares each API's pin with the newest revision available and diffs the two when they differ.
 * Both documents are parsed and validated first: an unreadable or invalid revision is an error,
 * never an empty diff.
 */
export async function detectDrift(root: string, pins: Pins, options: DriftOptions): Promise<Drift[]> {
  const drifts: Drift[] = [];
  for (const api of options.apis) {
    const pin = pins[api];
    const newest = await newestRevision(root, api, pin, options.from, options);
    if (newest.sha256 === pin.sha256) {
      drifts.push({ api, pin, newest });
      continue;
    }
    const after = await loadSpec(newest.text, newest.source);
    const before = await pinnedDocument(root, api, pin, options);
    drifts.push({
      api,
      pin,
      newest,
      report: { api, from: pin.revision, to: newest.revision, diff: diffSpecs(before, after) },
    });
  }
  return drifts;
}
