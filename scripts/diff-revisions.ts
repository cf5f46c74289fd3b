import { diffSpecs } from "./diff-specs.js";
import type { DiffReport } from "./render-diff.js";
import { apiOf, loadRevision, readDocumentText, revisionLabel } from "./revision-source.js";

/**
 * Reads two revisions of one API's document (files or URLs), parses and validates both, and
 * diffs them. The API is named from the documents' server URLs or where they came from.
 */
export async function diffRevisions(
  from: string,
  to: string,
  fetchImpl: typeof fetch = fetch,
): Promise<DiffReport> {
  const before = await loadRevision(await readDocumentText(from, fetchImpl), from);
  const after = await loadRevision(await readDocumentText(to, fetchImpl), to);
  const report: DiffReport = {
    from: revisionLabel(from),
    to: revisionLabel(to),
    diff: diffSpecs(before, after),
  };
  const api = apiOf(after, to) ?? apiOf(before, from);
  if (api) report.api = api;
  return report;
}
