import type { components } from "../../generated/v1.js";
import { callHook, ignoreFailure } from "../events/call-hook.js";

type Schemas = components["schemas"];

/**
 * The statuses each waiter reads, as the pinned v1 document declares them (the v1beta1 enums are a
 * subset). A server may send a status added after the pin: at run time a waiter keeps waiting
 * through it. Waiters report a status as shown: Astro's as they came; any text cut to 100
 * characters, what is not printable ASCII written `\uXXXX`, and the client's token redacted.
 */
export interface WaiterStatuses {
  /** A Deployment's `status`, read by `waitUntilDeploymentReady`. */
  deploymentReady: NonNullable<Schemas["Deployment"]["status"]>;
  /** A cluster's `status`, read by `waitUntilClusterReady`. */
  clusterReady: NonNullable<Schemas["Cluster"]["status"]>;
  /** A deploy's `status`, read by `waitUntilDeployFinished`. */
  deployFinished: NonNullable<Schemas["Deploy"]["status"]>;
  /** Whatever `status` the resource `waitUntilDeleted` polls has, while it still exists. */
  deleted: string;
  /**
   * The Deployment's `dagTarballVersion` (or a bundle's `currentVersion`) that a deploy workflow's
   * live wait reads until it is the finalized version.
   */
  deployLive: string;
  /** `"409"` while a cluster update or delete waits out the workflow running on the cluster. */
  clusterIdle: "409";
}

/** The waiters, as named in their events and errors. */
export type WaiterName = keyof WaiterStatuses;

/** What one poll of waiter `W` saw: all a waiter's `onProgress` receives. */
export interface WaiterEvent<W extends WaiterName = WaiterName> {
  /** Tells a waiter's poll apart from the other events. */
  type: "waiter";
  /** Which waiter polled. */
  waiter: W;
  /** The id of the resource waited on (e.g. the Deployment's id). */
  resourceId: string;
  /** 1 for the first poll. */
  attempt: number;
  /** The status the poll read, as shown (see `WaiterStatuses`); `undefined` when the answer had none, or the poll failed. */
  status: WaiterStatuses[W] | undefined;
  /** `pending` keeps waiting; `error` is a transient failure of the poll, also kept waiting. */
  outcome: "success" | "failure" | "pending" | "error";
  /** Name of the transient error, for `outcome: "error"`. */
  error: string | undefined;
  /** Since the wait started. */
  elapsedMs: number;
  /** When the next poll goes out, `undefined` when this poll ended the wait. */
  nextPollInMs: number | undefined;
}

/** The polls of waiters `W`, one member per waiter, so that narrowing on `waiter` narrows `status`. */
export type WaiterEvents<W extends WaiterName> = { [K in W]: WaiterEvent<K> }[W];

/**
 * The steps of `deployDags` and `deployBundle`, reported as each starts. `wait-live` waits for the
 * Deployment to serve the finalized version (see docs/workflows.md).
 */
export type DeployDagsStep = "pack" | "preflight" | "create" | "upload" | "finalize" | "wait-live" | "done";

/** A deploy workflow moved to a step (`S`: its steps; `deployDags`' by default). */
export interface DeployStepEvent<S extends string = DeployDagsStep> {
  /** Tells a deploy workflow's step apart from the other events. */
  type: "deploy";
  /** Which workflow: `deployDags` (a `DAG_ONLY` deploy) or `deployBundle` (a `BUNDLE` deploy). */
  workflow: "deployDags" | "deployBundle";
  /** The step that starts now. */
  step: S;
  /** The Deployment the DAGs go to. */
  deploymentId: string;
  /** Known from the `upload` step on. */
  deployId: string | undefined;
  /** Size of the tarball, known from the `create` step on. */
  totalBytes: number | undefined;
  /** Since `deployDags` started. */
  elapsedMs: number;
}

/** Bytes of the tarball handed to the connection so far, for one upload attempt. */
export interface UploadProgressEvent {
  /** Tells upload progress apart from the other events. */
  type: "upload";
  /** The Deployment the DAGs go to. */
  deploymentId: string;
  /** The deploy the tarball is uploaded for. */
  deployId: string;
  /** 1 for the first attempt; a retry starts again from 0 bytes. */
  attempt: number;
  /** Bytes handed to the connection in this attempt. */
  bytesSent: number;
  /** Size of the tarball. */
  totalBytes: number;
}

/**
 * What a deploy workflow's `onProgress` receives: its steps (`S`), the upload's progress and the
 * polls of the two waits it may run. `deployDags` reports `DeployWorkflowEvent<DeployDagsStep>`;
 * another deploy workflow reuses it with its own steps.
 */
export type DeployWorkflowEvent<S extends string = DeployDagsStep> =
  DeployStepEvent<S> | UploadProgressEvent | WaiterEvents<"deployLive">;

/**
 * What the workflows report, beside the client's request events (each poll and API call also
 * emits those), told apart by `type`. No event carries the token or the upload URL's query (its
 * SAS signature).
 */
export type WorkflowEvent = WaiterEvents<WaiterName> | DeployStepEvent | UploadProgressEvent;

/** Where events go: the client's sink and the call's own hook. A hook that throws is ignored. */
export type WorkflowEmit = (event: WorkflowEvent) => void;

/** Sends an event to every sink; a throwing (or rejecting) sink must not stop a deploy half-way. */
export function fanOut<E>(...sinks: (((event: E) => void) | undefined)[]): (event: E) => void {
  return (event) => {
    for (const sink of sinks) {
      // A progress printer that throws or rejects cannot be allowed to leave a deploy created but unfinalized.
      if (sink) callHook(() => sink(event), ignoreFailure);
    }
  };
}

/** A one-line text of a workflow event, for a logger (what the client's `logger` prints beside the event object). */
export function describeWorkflowEvent(event: WorkflowEvent): string {
  switch (event.type) {
    case "waiter": {
      const seen = event.status ?? (event.error ? `error ${event.error}` : "no status");
      const next = event.nextPollInMs === undefined ? "" : `, next poll in ${event.nextPollInMs} ms`;
      return `astro: ${event.waiter} ${event.resourceId} poll ${event.attempt}: ${seen} (${event.outcome}, ${event.elapsedMs} ms${next})`;
    }
    case "deploy":
      return `astro: ${event.workflow} ${event.deploymentId}${event.deployId ? ` deploy ${event.deployId}` : ""}: ${event.step}`;
    case "upload":
      return `astro: deployDags ${event.deploymentId} upload attempt ${event.attempt}: ${event.bytesSent}/${event.totalBytes} bytes`;
  }
}
