import { loadSpec } from "../openapi/load.js";
import { diffSpecs } from "./diff-document.js";
import type { DiffReport } from "./render-report.js";
import { apiOf, readDocumentText, revisionLabel } from "./revision-source.js";

/**
 * Reads two revisions of one API's document (files or URLs), parses and validates both, and
 * diffs them. The API is named from the documents' server URLs or where they came from.
 */
export async function diffSources(
  from: string,
  to: string,
  fetchImpl: typeof fetch = fetch,
): Promise<DiffReport> {
  const before = await loadSpec(await readDocumentText(from, fetchImpl), from);
  const after = await loadSpec(await readDocumentText(to, fetchImpl), to);
  const report: DiffReport = {
    from: revisionLabel(from),
    to: revisionLabel(to),
    diff: diffSpecs(before, after),
  };
  const api = apiOf(after, to) ?? apiOf(before, from);
  if (api) report.api = api;
  return report;
}
