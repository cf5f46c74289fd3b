import type { SpecDiff } from "./diff-document.js";

export const BUMPS = ["patch", "minor", "major"] as const;
export type SemverBump = (typeof BUMPS)[number];

/**
 * The version bump the SDK needs for a new revision: `major` when any change is breaking, `minor`
 * when there are API changes and none breaks, `patch` when nothing but documentation (or only the
 * bytes) changed — the regenerated files still differ, if only in the hash their header records.
 */
export function semverBump(diff: Pick<SpecDiff, "breaking" | "changes">): SemverBump {
  if (diff.breaking) return "major";
  return diff.changes.length > 0 ? "minor" : "patch";
}

/** The largest of several bumps (one per API updated together). */
export function largestBump(bumps: Iterable<SemverBump>): SemverBump {
  let largest: SemverBump = "patch";
  for (const bump of bumps) if (BUMPS.indexOf(bump) > BUMPS.indexOf(largest)) largest = bump;
  return largest;
}
