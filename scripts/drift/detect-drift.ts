import { SpecHashError } from "../../src/mock/spec-files.js";
import type { DocumentName } from "../../src/operations/manifest.js";
import type { OpenApiDocument } from "../openapi/document.js";
import { loadSpec } from "../openapi/load.js";
import type { Pin, Pins } from "../openapi/pins.js";
import { resolveSpec } from "../openapi/resolve.js";
import { PipelineError } from "../shared/errors.js";
import { diffSpecs } from "./diff-document.js";
import type { DiffReport } from "./render-report.js";
import { minorAhead, type MinorAhead } from "./latest-minor.js";
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
  /** For v1: a later minor than the pinned one is published (a notice, not drift). */
  minorAhead?: MinorAhead;
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
 * Compares each document's pin with the newest revision available (of the pinned minor, for v1)
 * and diffs the two when they differ; for v1 also looks whether a later minor is published.
 * Every document is parsed and validated first: an unreadable or invalid revision is an error,
 * never an empty diff.
 */
export async function detectDrift(root: string, pins: Pins, options: DriftOptions): Promise<Drift[]> {
  const drifts: Drift[] = [];
  for (const api of options.apis) {
    const pin = pins[api];
    let before: Promise<OpenApiDocument> | undefined;
    const pinned = () => (before ??= pinnedDocument(root, api, pin, options));
    const newest = await newestRevision(root, api, pin, options.from, options);
    const drift: Drift = { api, pin, newest };
    if (newest.sha256 !== pin.sha256) {
      const after = await loadSpec(newest.text, newest.source);
      drift.report = { api, from: pin.revision, to: newest.revision, diff: diffSpecs(await pinned(), after) };
    }
    const ahead = await minorAhead(root, api, pin, pinned, options.from, options);
    if (ahead) drift.minorAhead = ahead;
    drifts.push(drift);
  }
  return drifts;
}
