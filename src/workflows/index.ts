/**
 * Workflows over the operation methods: waiters and the DAG deploy. Attached to a client with
 * `createWorkflows(client, { emit })`, or lazily, loading them at the first call, with
 * `createLazyWorkflows` (./lazy.ts).
 */
export { createWorkflows, type WorkflowContext, type Workflows } from "./create-workflows.js";
export type { WorkflowClient, WorkflowCallOptions, WorkflowCallResult } from "./client.js";
export type {
  WorkflowEvent,
  WaiterEvent,
  DeployStepEvent,
  UploadProgressEvent,
  WaiterName,
  WaiterStatuses,
  WaiterEvents,
  DeployWorkflowEvent,
  DeployDagsStep,
  WorkflowEmit,
} from "./events.js";
export { describeWorkflowEvent } from "./events.js";
export {
  AstroWaiterError,
  AstroDeployError,
  type WaiterFailureReason,
  type DeployStep,
  type WaiterErrorInfo,
} from "./errors.js";
export {
  WAITER_DEFAULTS,
  WAITER_STATUSES,
  CLUSTER_DELETED_DEFAULTS,
  CLUSTER_DELETE_IDLE_DEFAULTS,
  DEPLOY_IGNORE_FILE,
  TARBALL_ROOT,
  HYBRID_MONITORING_DAG,
} from "./constants.js";
export type {
  WaiterOptions,
  DeploymentReadyOptions,
  DeploymentIds,
  ClusterIds,
  DeployIds,
  DeletedTarget,
  GetterName,
  Waiters,
} from "./waiters.js";
export type { WaitTiming } from "./timing.js";
export type {
  DeployCommonInput,
  DeployDagsInput,
  DeployDagsOptions,
  DeployDagsResult,
} from "./deploy-dags.js";
export type { DeployBundleInput, DeployBundleResult } from "./deploy-bundle.js";
export type { DeployGit, GitOption } from "./deploy-git.js";
export type { PreflightOptions } from "./preflight.js";
export type { MutationEvidence } from "./mutation-evidence.js";
export type { ClusterCalls } from "./cluster-calls.js";
export type { UploadOptions } from "./upload.js";
export type { PackOptions, TarballSource } from "./pack.js";
