/**
 * `createWorkflows`: the workflow methods bound to one client. The clients load this module
 * through `createLazyWorkflows` (./lazy.ts) at their first workflow call, so that what only the
 * workflows need (packing, upload, waiters) is not loaded or bundled into an app's first chunk.
 */
import type { WorkflowClient } from "./client.js";
import type { WorkflowEmit } from "./events.js";
import {
  createDeployDags,
  type DeployDagsInput,
  type DeployDagsOptions,
  type DeployDagsResult,
} from "./deploy-dags.js";
import { createWaiters, type Waiters } from "./waiters.js";
import { createDeployBundle, type DeployBundleInput, type DeployBundleResult } from "./deploy-bundle.js";
import { createClusterCalls, type ClusterCalls } from "./cluster-calls.js";

/** What the workflows need from their host client beside its operation methods. */
export interface WorkflowContext {
  /** Where workflow events go: the host client's event sink (its `onEvent` and `logger`). */
  emit?: WorkflowEmit;
  /**
   * What to redact from the server's text a waiter repeats (its status, in events and errors):
   * the host client's token, as `clientSecrets` spells it. A hostile server may answer with it.
   */
  secrets?: () => readonly string[];
}

/** The workflow methods, bound to one client. */
export interface Workflows<C extends WorkflowClient> extends Waiters<C>, ClusterCalls {
  /**
   * Deploys a folder of DAGs (or a ready tarball) in one call: CreateDeploy (`DAG_ONLY`), upload
   * to the deploy's `dagsUploadUrl`, FinalizeDeploy, and optionally wait for it to be live.
   * Rejects with `AstroDeployError` naming the step that failed.
   */
  deployDags(input: DeployDagsInput, options?: DeployDagsOptions): Promise<DeployDagsResult<C>>;
  /**
   * Deploys a folder (a dbt project) as a `BUNDLE` mounted at `mountPath`: CreateDeploy, upload to
   * `bundleUploadUrl`, FinalizeDeploy, and optionally wait until the bundle has that version.
   */
  deployBundle(input: DeployBundleInput, options?: DeployDagsOptions): Promise<DeployBundleResult<C>>;
}

/**
 * Binds the workflows to a client that has the operation methods they call (today's
 * `astro.platform`, or the v1 client): `Object.assign(client, createWorkflows(client, { emit }))`
 * makes them methods of it. Each poll and API call is an ordinary call of that client, so it
 * shares the token's throttle, retries and events.
 */
export function createWorkflows<C extends WorkflowClient>(
  client: C,
  context: WorkflowContext = {},
): Workflows<C> {
  const waiters = createWaiters(client, context);
  return {
    ...waiters,
    deployDags: createDeployDags(client, context),
    deployBundle: createDeployBundle(client, context),
    ...createClusterCalls(client, context.emit),
  };
}
