import { checkSignal } from "../client/checks.js";
import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError, NotFoundError } from "../errors/error-classes.js";
import {
  checkId,
  fieldOf,
  pathIds,
  statusOf,
  type DataOf,
  type WorkflowCallResult,
  type WorkflowClient,
} from "./client.js";
import { fanOut, type WaiterEvent, type WaiterName } from "./events.js";
import type { WorkflowContext } from "./create-workflows.js";
import { poll, type Check } from "./poll.js";
import { paceSet, withHint } from "./poll-hint.js";
import { resolveTiming, type WaitTiming } from "./timing.js";
import { checkEvidence, evidenceJudge, type MutationEvidence } from "./mutation-evidence.js";
import { CLUSTER_DELETED_DEFAULTS, WAITER_DEFAULTS, WAITER_STATUSES } from "./constants.js";

/** Options of every waiter; `W` names the waiter, which types the events `onProgress` receives. */
export interface WaiterOptions<W extends WaiterName = WaiterName> {
  /** Longest time to wait in ms, polls included (defaults per waiter: docs/waiting-and-deploying.md). Any length works. */
  maxWaitMs?: number;
  /** Shortest pause between polls in ms. */
  minDelayMs?: number;
  /** Longest pause between polls in ms. */
  maxDelayMs?: number;
  /** Aborts the wait (and a poll in flight): the waiter rejects with `reason: "aborted"`. */
  signal?: AbortSignal;
  /** Receives this wait's polls (one event each), beside the client's `onEvent`. */
  onProgress?: (event: WaiterEvent<W>) => void;
}

/** Options of `waitUntilDeploymentReady`. */
export interface DeploymentReadyOptions extends WaiterOptions<"deploymentReady"> {
  /**
   * End the wait at the first `UNHEALTHY` status. Off by default: a Deployment being created,
   * woken or redeployed passes through `UNHEALTHY` while its components start (the Astro CLI
   * keeps polling through it too), so it is only a failure for a Deployment that was already up.
   */
  failOnUnhealthy?: boolean;
  /**
   * The mutation this wait follows (an update, a deploy, hibernating or waking): the wait then
   * ends only on a read that reflects it, never on a stale one. Without it, the first ready read
   * ends the wait (right for a Deployment nothing was just done to). See `MutationEvidence`.
   */
  after?: MutationEvidence;
}

/** Ids of a Deployment. */
export interface DeploymentIds {
  /** Defaults to the client's `organizationId`. */
  organizationId?: string;
  /** The Deployment's id. */
  deploymentId: string;
}
/** Ids of a cluster. */
export interface ClusterIds {
  /** Defaults to the client's `organizationId`. */
  organizationId?: string;
  /** The cluster's id. */
  clusterId: string;
}
/** Ids of a deploy. */
export interface DeployIds {
  /** Defaults to the client's `organizationId`. */
  organizationId?: string;
  /** The Deployment's id. */
  deploymentId: string;
  /** The deploy's id, as CreateDeploy returned it. */
  deployId: string;
}

/** Names of the client's `get…` operation methods. */
export type GetterName<C> = {
  [K in keyof C & string]: K extends `get${string}`
    ? C[K] extends (...args: never[]) => unknown
      ? K
      : never
    : never;
}[keyof C & string];

/** The argument of `waitUntilDeleted`: which `get…` operation reads the resource, and its ids. */
export type DeletedTarget<C, K extends GetterName<C>> = {
  /** The name of the client's `get…` method that reads the resource (a 404 from it ends the wait). */
  get: K;
} & (C[K] extends (...args: infer A) => unknown ? NonNullable<A[0]> : never);

function classify<T>(data: T, id: string, success: readonly string[], failure: readonly string[]): Check<T> {
  // An answer about another resource (a misrouted or wrongly cached response) says nothing of
  // this one: it neither ends the wait nor becomes the last status seen.
  const answeredId = fieldOf(data, "id");
  if (typeof answeredId === "string" && answeredId !== id) return { state: "pending", status: undefined };
  const status = statusOf(data);
  if (status !== undefined && success.includes(status)) return { state: "success", status, value: data };
  return { state: status !== undefined && failure.includes(status) ? "failure" : "pending", status };
}

/** The four waiters, bound to a client. */
export interface Waiters<C extends WorkflowClient> {
  /**
   * Polls GetDeployment until `HEALTHY` or `HIBERNATING`; resolves with the Deployment. After a
   * mutation, pass `after` (its evidence) so that a stale read cannot end the wait.
   */
  waitUntilDeploymentReady(
    ids: DeploymentIds,
    options?: DeploymentReadyOptions,
  ): Promise<DataOf<C, "getDeployment">>;
  /**
   * Polls GetCluster until `CREATED`; `CREATE_FAILED`, `UPDATE_FAILED`, `FAILOVER_FAILED` and
   * `ACCESS_DENIED` end the wait at once. Resolves with the cluster.
   */
  waitUntilClusterReady(
    ids: ClusterIds,
    options?: WaiterOptions<"clusterReady">,
  ): Promise<DataOf<C, "getCluster">>;
  /** Polls GetDeploy until `DEPLOYED`; `FAILED` ends the wait at once. Resolves with the deploy. */
  waitUntilDeployFinished(
    ids: DeployIds,
    options?: WaiterOptions<"deployFinished">,
  ): Promise<DataOf<C, "getDeploy">>;
  /**
   * Polls a `get…` operation until it answers 404: `waitUntilDeleted({ get: "getDeployment", deploymentId })`.
   * Works for any resource the client can read.
   */
  waitUntilDeleted<K extends GetterName<C>>(
    target: DeletedTarget<C, K>,
    options?: WaiterOptions<"deleted">,
  ): Promise<void>;
}

/** Builds the waiters over `client`, reporting to `context.emit`. */
export function createWaiters<C extends WorkflowClient>(client: C, context: WorkflowContext): Waiters<C> {
  const { emit, secrets } = context;
  const run = <T, W extends WaiterName>(
    waiter: W,
    resourceId: string,
    options: WaiterOptions<W> | undefined,
    check: (signal: AbortSignal) => Promise<Check<T>>,
    defaults: WaitTiming = WAITER_DEFAULTS[waiter],
  ): Promise<T> => {
    const timing = resolveTiming(options ?? {}, defaults);
    return poll({
      waiter,
      resourceId,
      timing,
      timingSet: paceSet(options),
      signal: checkSignal(options?.signal),
      check,
      secrets,
      // A WaiterEvent<W> is one member of WorkflowEvent, which TypeScript cannot see for a generic W.
      emit: fanOut<WaiterEvent<W>>(
        emit as ((event: WaiterEvent<W>) => void) | undefined,
        options?.onProgress,
      ),
    });
  };

  return {
    async waitUntilDeploymentReady(ids, options) {
      const args = pathIds(ids, ["deploymentId"]);
      const failure = options?.failOnUnhealthy ? ["UNHEALTHY"] : WAITER_STATUSES.deploymentReady.failure;
      const evidence = checkEvidence(options?.after);
      const judge = evidence && evidenceJudge(evidence);
      return run("deploymentReady", args.deploymentId, options, async (signal) => {
        const { data, response } = await client.getDeployment(args, { signal });
        const check = classify(
          data as DataOf<C, "getDeployment">,
          args.deploymentId,
          WAITER_STATUSES.deploymentReady.success,
          failure,
        );
        // An answer about another Deployment (classify left its status out) tells the judge nothing.
        if (!judge || check.state === "failure" || check.status === undefined)
          return withHint(check, response);
        return withHint(
          judge(data, check.status, check.state === "success")
            ? check
            : { state: "pending", status: check.status },
          response,
        );
      });
    },
    async waitUntilClusterReady(ids, options) {
      const args = pathIds(ids, ["clusterId"]);
      const { success, failure } = WAITER_STATUSES.clusterReady;
      return run("clusterReady", args.clusterId, options, async (signal) => {
        const { data, response } = await client.getCluster(args, { signal });
        return withHint(
          classify(data as DataOf<C, "getCluster">, args.clusterId, success, failure),
          response,
        );
      });
    },
    async waitUntilDeployFinished(ids, options) {
      const args = pathIds(ids, ["deploymentId", "deployId"]);
      const { success, failure } = WAITER_STATUSES.deployFinished;
      return run("deployFinished", args.deployId, options, async (signal) => {
        const { data, response } = await client.getDeploy(args, { signal });
        return withHint(classify(data as DataOf<C, "getDeploy">, args.deployId, success, failure), response);
      });
    },
    async waitUntilDeleted(target, options) {
      const { get, ...rest } = (target ?? {}) as { get?: unknown } & Record<string, unknown>;
      // Only a read may be polled: a JavaScript caller could otherwise name deleteDeployment here.
      const method =
        typeof get === "string" && /^get[A-Z]\w*$/.test(get)
          ? (client as unknown as Record<string, unknown>)[get]
          : undefined;
      if (typeof method !== "function") {
        throw new AstroConfigError(
          `waitUntilDeleted needs { get: "<a get… operation method of the client>", ...ids }, got get: ${describeValue(get)}`,
        );
      }
      const ids: Record<string, string> = {};
      for (const [key, value] of Object.entries(rest))
        if (value !== undefined) ids[key] = checkId(value, key);
      const resourceId = Object.entries(ids)
        .filter(([key]) => key !== "organizationId")
        .map(([, value]) => value)
        .join("/");
      const defaults = get === "getCluster" ? CLUSTER_DELETED_DEFAULTS : WAITER_DEFAULTS.deleted;
      return run<void, "deleted">(
        "deleted",
        `${get as string} ${resourceId}`,
        options,
        async (signal) => {
          try {
            const { data, response } = await (
              method as (a: unknown, o: unknown) => Promise<WorkflowCallResult>
            ).call(client, ids, { signal });
            return withHint({ state: "pending", status: statusOf(data) }, response);
          } catch (error) {
            if (error instanceof NotFoundError)
              return { state: "success", status: undefined, value: undefined };
            throw error;
          }
        },
        defaults,
      );
    },
  };
}
