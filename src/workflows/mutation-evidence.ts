import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { fieldOf } from "./client.js";

/**
 * What a mutation of a Deployment (an update, a deploy, hibernating or waking it) left behind,
 * for `waitUntilDeploymentReady({ after })`: a read of the Deployment ends the wait only when it
 * shows this, so a read that predates the mutation, or one taken before Astro started to act on
 * it, never does.
 *
 * - `dagTarballVersion`: a DAG deploy's finalized version. The Deployment is live with it once its
 *   own `dagTarballVersion` equals it (the document: it equals `desiredDagTarballVersion` once no
 *   deploy is processing).
 * - `updatedAt`: the `updatedAt` the mutation's answer carried. A read with an older one is stale.
 *   Astro can read `HEALTHY` for a while after an update and only then go to `DEPLOYING`, so a fresh
 *   read in a ready status ends the wait only once the Deployment was seen to leave that status and
 *   come back, or stayed in it for `settleMs` of fresh reads.
 * - `status`: the status the mutation leads to (`HIBERNATING` after hibernating, `HEALTHY` after
 *   waking); by default either ready status.
 */
export interface MutationEvidence {
  /** A finalized DAG deploy's version: the wait ends when the Deployment's `dagTarballVersion` equals it. */
  dagTarballVersion?: string;
  /** The mutation's `updatedAt`: reads with an older `updatedAt` never end the wait. */
  updatedAt?: string;
  /** The status the mutation leads to (default: `HEALTHY` or `HIBERNATING`). */
  status?: "HEALTHY" | "HIBERNATING";
  /**
   * With `updatedAt`: how long fresh reads must keep showing a ready status when the Deployment
   * was not seen to leave it, in ms (default 30,000: the Astro CLI sleeps 30 s before its first
   * poll after a DAG deploy for the same reason).
   */
  settleMs?: number;
}

/** Default `settleMs`. */
export const DEFAULT_SETTLE_MS = 30_000;

/** The evidence, checked (a typo must not turn into a wait that can never end, or ends at once). */
export function checkEvidence(after: unknown): MutationEvidence | undefined {
  if (after === undefined) return undefined;
  if (after === null || typeof after !== "object")
    throw new AstroConfigError(`after must be an object, got ${describeValue(after)}`);
  const e = after as Record<string, unknown>;
  for (const name of ["dagTarballVersion", "updatedAt"] as const)
    if (e[name] !== undefined && (typeof e[name] !== "string" || e[name] === ""))
      throw new AstroConfigError(`after.${name} must be a non-empty string, got ${describeValue(e[name])}`);
  if (typeof e.updatedAt === "string" && Number.isNaN(Date.parse(e.updatedAt)))
    throw new AstroConfigError(`after.updatedAt must be a date-time, got ${describeValue(e.updatedAt)}`);
  if (e.status !== undefined && e.status !== "HEALTHY" && e.status !== "HIBERNATING")
    throw new AstroConfigError(`after.status must be HEALTHY or HIBERNATING, got ${describeValue(e.status)}`);
  if (
    e.settleMs !== undefined &&
    (typeof e.settleMs !== "number" || !Number.isFinite(e.settleMs) || e.settleMs < 0)
  )
    throw new AstroConfigError(
      `after.settleMs must be a number of ms >= 0, got ${describeValue(e.settleMs)}`,
    );
  if (e.dagTarballVersion === undefined && e.updatedAt === undefined && e.status === undefined)
    throw new AstroConfigError("after needs dagTarballVersion, updatedAt or status");
  return e;
}

/**
 * A judge of successive reads against the evidence: `ready(data, status)` says whether this read,
 * in a ready `status`, shows the mutation done. It keeps state across reads (seen leaving, first
 * fresh ready read), so one judge serves one wait.
 */
export function evidenceJudge(
  evidence: MutationEvidence,
  now: () => number = () => performance.now(),
): (data: unknown, status: string | undefined, ready: boolean) => boolean {
  const since = evidence.updatedAt === undefined ? undefined : Date.parse(evidence.updatedAt);
  const settleMs = evidence.settleMs ?? DEFAULT_SETTLE_MS;
  let left = false;
  let readySince: number | undefined;
  return (data, status, ready) => {
    if (since !== undefined) {
      const seen = fieldOf(data, "updatedAt");
      const at = typeof seen === "string" ? Date.parse(seen) : Number.NaN;
      // A read without a readable updatedAt, or an older one, says nothing about the mutation.
      if (Number.isNaN(at) || at < since) return false;
    }
    if (!ready) {
      left = true;
      readySince = undefined;
      return false;
    }
    if (evidence.status !== undefined && status !== evidence.status) return false;
    if (evidence.dagTarballVersion !== undefined)
      return fieldOf(data, "dagTarballVersion") === evidence.dagTarballVersion;
    if (since === undefined || left) return true;
    readySince ??= now();
    return now() - readySince >= settleMs;
  };
}
