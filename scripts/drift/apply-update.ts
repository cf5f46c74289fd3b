import { basename, dirname, join } from "node:path";
import { writeFilesAtomically } from "../../src/mock/files.js";
import type { DocumentName } from "../../src/operations/manifest.js";
import { OPERATIONS_DOC } from "../generate/render-operations-doc.js";
import { PINS_FILE, readPins, renderPins, type Pins } from "../openapi/pins.js";
import { PipelineError } from "../shared/errors.js";
import { CHANGELOG_FILE, nextChangelog } from "./api-changelog.js";
import { detectDrift, type Drift, type DriftOptions } from "./detect-drift.js";
import { takeSnapshot } from "./file-snapshot.js";
import { renderMarkdown, reportHeading } from "./render-report.js";
import { makeResolvable, type SourceOptions } from "./revision-source.js";
import { largestBump, semverBump, type SemverBump } from "./semver-bump.js";

export interface UpdateOptions extends SourceOptions {
  /** Accept an update with breaking changes (refused otherwise). */
  allowBreaking?: boolean;
}

export interface UpdateResult {
  /** The APIs whose pin moved. */
  updated: DocumentName[];
  /** The version bump the package needs; absent when nothing moved. */
  bump?: SemverBump;
}

export class BreakingUpdateError extends PipelineError {
  override name = "BreakingUpdateError";
  constructor(readonly drifts: readonly Drift[]) {
    const counts = drifts.map(
      (d) => `${d.api} (${d.report!.diff.changes.filter((c) => c.breaking).length} breaking)`,
    );
    super(
      `refusing a breaking update of ${counts.join(", ")}: the package would need a major version. ` +
        `Nothing was changed. Review the report above and rerun with --allow-breaking to accept it.`,
    );
  }
}

/**
 * Moves the pins to the revisions `detectDrift` found, regenerates `generated/` and prepends a
 * dated entry per API to `API-CHANGELOG.md` — all or nothing: the pins, `generated/`,
 * `docs/operations.md` and the changelog are snapshotted first and put back byte for byte if any step fails. A breaking
 * update is refused unless `allowBreaking`.
 */
export async function applyUpdate(
  root: string,
  pins: Pins,
  drifts: readonly Drift[],
  options: UpdateOptions,
): Promise<UpdateResult> {
  const moved = drifts.filter((d) => d.report !== undefined);
  if (moved.length === 0) return { updated: [] };
  const breaking = moved.filter((d) => d.report!.diff.breaking);
  if (breaking.length > 0 && !options.allowBreaking) throw new BreakingUpdateError(breaking);

  const next: Pins = structuredClone(pins);
  for (const { api, newest } of moved)
    next[api] = { ...next[api], revision: newest.revision, file: newest.file, sha256: newest.sha256 };
  const date = options.today ?? new Date().toISOString().slice(0, 10);
  const changelog = await nextChangelog(
    root,
    moved.map((d) => renderMarkdown(d.report!, reportHeading(d.report!, date))),
  );

  // Loaded here, not at the top: it brings openapi-typescript and prettier, which a run with
  // nothing to update never needs.
  const { generate, GENERATED_DIR } = await import("../generate/generate.js");
  const snapshot = await takeSnapshot(root, [PINS_FILE, CHANGELOG_FILE, OPERATIONS_DOC], [GENERATED_DIR]);
  try {
    for (const { newest } of moved) await makeResolvable(root, newest, options.env);
    await writeFilesAtomically(join(root, dirname(PINS_FILE)), { [basename(PINS_FILE)]: renderPins(next) });
    await generate(root, { env: options.env, fetch: options.fetch });
    await writeFilesAtomically(root, { [CHANGELOG_FILE]: changelog });
  } catch (error) {
    await snapshot.restore();
    throw error;
  }
  return {
    updated: moved.map((d) => d.api),
    bump: largestBump(moved.map((d) => semverBump(d.report!.diff))),
  };
}

/** `detectDrift` then `applyUpdate`, for callers that do not print the diff in between. */
export async function updatePins(
  root: string,
  options: UpdateOptions & DriftOptions,
): Promise<UpdateResult & { drifts: Drift[] }> {
  const pins = await readPins(root);
  const drifts = await detectDrift(root, pins, options);
  return { ...(await applyUpdate(root, pins, drifts, options)), drifts };
}
