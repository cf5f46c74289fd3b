/**
 * The workflows' public constants — waiter timing and statuses, the pack's fixed names, the
 * monitoring DAG — in a module of their own, so that the entries export them without loading
 * the workflows themselves (those are imported at a client's first workflow call, ./lazy.ts).
 */
import type { WaiterName } from "./events.js";
import type { WaitTiming } from "./timing.js";

/**
 * Default timing of each waiter (documented in docs/workflows.md). Cluster waits are at least
 * as long as terraform-provider-astro's (3 h to create or update a cluster, 1 h to delete one;
 * `waitUntilDeleted({ get: "getCluster" })` polls at `CLUSTER_DELETED_DEFAULTS`' slower pace).
 */
export const WAITER_DEFAULTS: Record<WaiterName, WaitTiming> = {
  deploymentReady: { maxWaitMs: 20 * 60_000, minDelayMs: 5_000, maxDelayMs: 30_000 },
  clusterReady: { maxWaitMs: 3 * 60 * 60_000, minDelayMs: 30_000, maxDelayMs: 120_000 },
  deployFinished: { maxWaitMs: 15 * 60_000, minDelayMs: 2_000, maxDelayMs: 15_000 },
  deleted: { maxWaitMs: 60 * 60_000, minDelayMs: 5_000, maxDelayMs: 30_000 },
  deployLive: { maxWaitMs: 20 * 60_000, minDelayMs: 2_000, maxDelayMs: 15_000 },
  clusterIdle: { maxWaitMs: 3 * 60 * 60_000, minDelayMs: 30_000, maxDelayMs: 60_000 },
};

/** Default timing of `waitUntilDeleted({ get: "getCluster" })`: an hour, as Terraform, polled as a cluster wait is. */
export const CLUSTER_DELETED_DEFAULTS: WaitTiming = {
  ...WAITER_DEFAULTS.clusterIdle,
  maxWaitMs: 60 * 60_000,
};

/** Statuses that end a wait, per waiter; any other status (including ones added later) keeps waiting. */
export const WAITER_STATUSES = {
  /** A Deployment's `status` (`failOnUnhealthy` adds `UNHEALTHY` to the failures). */
  deploymentReady: {
    /** Statuses that resolve the wait. */
    success: ["HEALTHY", "HIBERNATING"],
    /** Statuses that end it with an `AstroWaiterError`. */
    failure: [] as string[],
  },
  /** A cluster's `status`. */
  clusterReady: {
    /** Statuses that resolve the wait. */
    success: ["CREATED"],
    /** Statuses that end it with an `AstroWaiterError`. */
    failure: ["CREATE_FAILED", "UPDATE_FAILED", "FAILOVER_FAILED", "ACCESS_DENIED"],
  },
  /** A deploy's `status`. */
  deployFinished: {
    /** Statuses that resolve the wait. */
    success: ["DEPLOYED"],
    /** Statuses that end it with an `AstroWaiterError`. */
    failure: ["FAILED"],
  },
} as const;

/**
 * Default timing of `deleteClusterWhenIdle` (Terraform's delete timeout is 1 h): the pace and
 * length of `waitUntilDeleted({ get: "getCluster" })`, so a delete and the wait after it agree.
 */
export const CLUSTER_DELETE_IDLE_DEFAULTS: WaitTiming = CLUSTER_DELETED_DEFAULTS;

/** The top folder of every entry, as the Astro CLI and Astronomer's deploy guide pack it (`tar -cf dags.tar dags`). */
export const TARBALL_ROOT = "dags";

/**
 * The SDK's own deploy ignore file, relative to the project root (.dockerignore syntax, paths from
 * the root). The Astro CLI has no such file (it ships the folder as it is, minus `.git/`).
 */
export const DEPLOY_IGNORE_FILE = ".astro/deployignore";

/** The monitoring DAG the Astro CLI adds to Hybrid Deployments' DAG deploys. */
export const HYBRID_MONITORING_DAG = "astronomer_monitoring_dag.py";
