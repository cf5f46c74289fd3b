import { AstroError } from "../errors/error-classes.js";

/**
 * What `toJSON` shows of a cause: an SDK error's own safe view (its messages are redacted where
 * it was made), or only the name of anything else.
 */
function causeView(cause: unknown): unknown {
  if (cause === undefined) return undefined;
  if (cause instanceof AstroError) return cause.toJSON();
  return { name: (cause as Error | null)?.name ?? typeof cause };
}
import type { WaiterName } from "./events.js";

/** Why a wait ended without success. */
export type WaiterFailureReason = "failed" | "timeout" | "aborted";

/** What a waiter knew when it gave up. */
export interface WaiterErrorInfo {
  /** Which waiter gave up. */
  waiter: WaiterName;
  /** Why: a failure status or a poll failing for good, the deadline, or the caller's abort. */
  reason: WaiterFailureReason;
  /** The id of the resource waited on (e.g. the Deployment's id). */
  resourceId: string;
  /** The last status the API reported, as shown (see `WaiterStatuses`); `undefined` when no poll answered with one. */
  lastStatus: string | undefined;
  /** Polls made. */
  attempts: number;
  /** Since the wait started. */
  elapsedMs: number;
}

/**
 * A waiter (`waitUntilDeploymentReady`…) ended without success: the resource reached a failure
 * status or a poll failed for good (`reason: "failed"`), `maxWaitMs` passed (`"timeout"`), or the
 * caller's signal aborted (`"aborted"`). `cause` holds the error of the poll that ended it, or the
 * last transient error seen before a timeout.
 */
export class AstroWaiterError extends AstroError {
  override name = "AstroWaiterError";
  /** Which waiter gave up. */
  readonly waiter: WaiterName;
  /** Why: a failure status or a poll failing for good (`"failed"`), the deadline (`"timeout"`), or the caller's abort (`"aborted"`). */
  readonly reason: WaiterFailureReason;
  /** The id of the resource waited on (e.g. the Deployment's id). */
  readonly resourceId: string;
  /** The last status the API reported, as shown (see `WaiterStatuses`); `undefined` when no poll answered with one. */
  readonly lastStatus: string | undefined;
  /** Polls made. */
  readonly attempts: number;
  /** Since the wait started. */
  readonly elapsedMs: number;

  constructor(info: WaiterErrorInfo, options?: { cause?: unknown }) {
    super(describe(info, options?.cause), options);
    this.waiter = info.waiter;
    this.reason = info.reason;
    this.resourceId = info.resourceId;
    this.lastStatus = info.lastStatus;
    this.attempts = info.attempts;
    this.elapsedMs = info.elapsedMs;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      waiter: this.waiter,
      reason: this.reason,
      resourceId: this.resourceId,
      lastStatus: this.lastStatus,
      attempts: this.attempts,
      elapsedMs: this.elapsedMs,
      cause: causeView(this.cause),
    };
  }
}

function describe(info: WaiterErrorInfo, cause: unknown): string {
  const seen = info.lastStatus === undefined ? "no status seen" : `last status ${info.lastStatus}`;
  const after = `after ${info.attempts} poll${info.attempts === 1 ? "" : "s"} in ${info.elapsedMs} ms`;
  const what = `${info.waiter} of ${info.resourceId}`;
  const why = cause instanceof Error ? `: ${cause.message}` : "";
  switch (info.reason) {
    case "timeout":
      return `${what} timed out (${seen}, ${after})${why}`;
    case "aborted":
      return `${what} was aborted (${seen}, ${after})`;
    case "failed":
      return `${what} failed (${seen}, ${after})${why}`;
  }
}

/** The step of `deployDags` that failed. */
export type DeployStep = "pack" | "preflight" | "create" | "upload" | "finalize" | "wait";

/**
 * `deployDags` failed at `step`. `deployId` is set once CreateDeploy answered (a deploy object
 * then exists on the Deployment, unfinalized if the failure came before `finalize`); `cause`
 * holds the underlying `AstroApiError`, `AstroWaiterError` or I/O error. `status` and `detail`
 * are the blob store's answer when it refused the upload.
 */
export class AstroDeployError extends AstroError {
  override name = "AstroDeployError";
  /** The step that failed. */
  readonly step: DeployStep;
  /** The Deployment the DAGs were going to. */
  readonly deploymentId: string;
  /** The deploy CreateDeploy made, once it answered (it then exists on the Deployment, unfinalized if the failure came before `finalize`). */
  readonly deployId: string | undefined;
  /** HTTP status of the blob store's refusal (step `upload`). */
  readonly status: number | undefined;
  /** The blob store's own words (bounded, sanitised; never the upload URL's query). */
  readonly detail: string | undefined;

  constructor(
    message: string,
    info: {
      step: DeployStep;
      deploymentId: string;
      deployId?: string;
      status?: number;
      detail?: string;
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.step = info.step;
    this.deploymentId = info.deploymentId;
    this.deployId = info.deployId;
    this.status = info.status;
    this.detail = info.detail;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      step: this.step,
      deploymentId: this.deploymentId,
      deployId: this.deployId,
      status: this.status,
      detail: this.detail,
      cause: causeView(this.cause),
    };
  }
}
