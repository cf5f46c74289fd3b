/** The waiters, as named in their events and errors. */
export type WaiterName =
  "deploymentReady" | "clusterReady" | "deployFinished" | "deleted" | "deployLive" | "clusterIdle";

/** What one poll of a waiter saw. */
export interface WaiterEvent {
  /** Tells a waiter's poll apart from the other events. */
  type: "waiter";
  /** Which waiter polled. */
  waiter: WaiterName;
  /** The id of the resource waited on (e.g. the Deployment's id). */
  resourceId: string;
  /** 1 for the first poll. */
  attempt: number;
  /** The status the poll read (`undefined` when the answer had none, or the poll failed). */
  status: string | undefined;
  /** `pending` keeps waiting; `error` is a transient failure of the poll, also kept waiting. */
  outcome: "success" | "failure" | "pending" | "error";
  /** Name of the transient error, for `outcome: "error"`. */
  error: string | undefined;
  /** Since the wait started. */
  elapsedMs: number;
  /** When the next poll goes out, `undefined` when this poll ended the wait. */
  nextPollInMs: number | undefined;
}

/**
 * The steps of `deployDags` and `deployBundle`, reported as each starts. `wait-live` waits for the
 * Deployment to serve the finalized version (see docs/workflows.md).
 */
export type DeployDagsStep = "pack" | "preflight" | "create" | "upload" | "finalize" | "wait-live" | "done";

/** `deployDags` moved to a step. */
export interface DeployStepEvent {
  /** Tells a `deployDags` step apart from the other events. */
  type: "deploy";
  /** Which workflow: `deployDags` (a `DAG_ONLY` deploy) or `deployBundle` (a `BUNDLE` deploy). */
  workflow: "deployDags" | "deployBundle";
  /** The step that starts now. */
  step: DeployDagsStep;
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
 * What the workflows report, beside the client's request events (each poll and API call also
 * emits those). No event carries the token or the upload URL's query (its SAS signature).
 */
export type WorkflowEvent = WaiterEvent | DeployStepEvent | UploadProgressEvent;

/** Where events go: the client's sink and the call's own hook. A hook that throws is ignored. */
export type WorkflowEmit = (event: WorkflowEvent) => void;

/** Sends an event to every sink; a throwing sink must not stop a deploy half-way. */
export function fanOut(...sinks: (WorkflowEmit | undefined)[]): WorkflowEmit {
  return (event) => {
    for (const sink of sinks) {
      try {
        sink?.(event);
      } catch {
        // A progress printer that throws cannot be allowed to leave a deploy created but unfinalized.
      }
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
