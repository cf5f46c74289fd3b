/**
 * Cluster update and delete that wait out a running cluster workflow: Astro answers 409 to both
 * while another workflow (a create, an update) runs on the cluster, and terraform-provider-astro
 * retries that 409 until its timeout (3 h for an update, 1 h for a delete). A create is never
 * retried this way: a 409 there may mean it already exists.
 */
import { AstroConfigError, ConflictError } from "../errors/error-classes.js";
import { checkSignal } from "../client/checks.js";
import { pathIds, type WorkflowCallOptions, type WorkflowCallResult } from "./client.js";
import { AstroWaiterError } from "./errors.js";
import { fanOut, type WaiterEvent, type WorkflowEmit } from "./events.js";
import { sleep } from "../transport/timers.js";
import { backoffDelay, resolveTiming, type WaitTiming } from "./timing.js";
import { CLUSTER_DELETE_IDLE_DEFAULTS, WAITER_DEFAULTS } from "./constants.js";
import type { WaiterOptions } from "./waiters.js";

/** An operation method of the client, as these calls use it (both clients have both operations). */
type OperationCall = (args: never, options: WorkflowCallOptions) => Promise<WorkflowCallResult>;

/** Cluster calls that retry Astro's 409 "a workflow is running" until `maxWaitMs`. */
export interface ClusterCalls {
  /**
   * UpdateCluster, retried while it answers 409 (a cluster workflow is running) until `maxWaitMs`
   * (default 3 h). Any other error rejects at once, as the plain call would.
   */
  updateClusterWhenIdle(
    args: { organizationId?: string; clusterId: string; body: unknown },
    options?: WaiterOptions<"clusterIdle">,
  ): Promise<WorkflowCallResult>;
  /** DeleteCluster, retried while it answers 409, until `maxWaitMs` (default 1 h). */
  deleteClusterWhenIdle(
    args: { organizationId?: string; clusterId: string },
    options?: WaiterOptions<"clusterIdle">,
  ): Promise<WorkflowCallResult>;
}

/** Builds the busy-retrying cluster calls over `client`. */
export function createClusterCalls(client: object, emit: WorkflowEmit | undefined): ClusterCalls {
  const retry = async (
    name: "updateCluster" | "deleteCluster",
    args: Record<string, unknown>,
    options: WaiterOptions<"clusterIdle"> | undefined,
    defaults: WaitTiming,
  ): Promise<WorkflowCallResult> => {
    const method = (client as Record<string, unknown>)[name] as OperationCall | undefined;
    if (typeof method !== "function") throw new AstroConfigError(`the client has no ${name} operation`);
    const ids = pathIds(args as { clusterId?: unknown }, ["clusterId"]);
    const timing = resolveTiming(options ?? {}, defaults);
    const signal = checkSignal(options?.signal);
    const send = fanOut<WaiterEvent<"clusterIdle">>(emit, options?.onProgress);
    const started = performance.now();
    const call = { ...args, ...ids } as never;
    for (let attempt = 1; ; attempt++) {
      const end = (reason: "timeout" | "aborted", cause: unknown) =>
        new AstroWaiterError(
          {
            waiter: "clusterIdle",
            reason,
            resourceId: ids.clusterId,
            lastStatus: "409",
            attempts: attempt,
            elapsedMs: Math.round(performance.now() - started),
          },
          { cause },
        );
      try {
        return await method.call(client, call, { signal });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        const delay = backoffDelay(attempt, timing);
        const late = performance.now() + delay - started > timing.maxWaitMs;
        send({
          type: "waiter",
          waiter: "clusterIdle",
          resourceId: ids.clusterId,
          attempt,
          status: "409",
          outcome: "pending",
          error: error.name,
          elapsedMs: Math.round(performance.now() - started),
          nextPollInMs: late ? undefined : Math.round(delay),
        });
        if (late) throw end("timeout", error);
        try {
          await sleep(delay, signal);
        } catch {
          throw end("aborted", error);
        }
      }
    }
  };
  return {
    updateClusterWhenIdle: (args, options) =>
      retry("updateCluster", args, options, WAITER_DEFAULTS.clusterIdle),
    deleteClusterWhenIdle: (args, options) =>
      retry("deleteCluster", args, options, CLUSTER_DELETE_IDLE_DEFAULTS),
  };
}
