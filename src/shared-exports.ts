/**
 * What both entries export (`astro-api-client` and `astro-api-client/v1beta1`): the one runtime's
 * options, errors, events and workflows, so that moving between them changes one import.
 */
export type { RuntimeOptions } from "./client/options.js";
export { VERSION } from "./client/version.js";
export type { ClientLifecycle } from "./client/runtime.js";
export type { ApiClient } from "./operations/api-client.js";
export type {
  AstroResponse,
  BinaryBody,
  CallOptions,
  MethodOptions,
  OperationArgs,
  PaginateOptions,
} from "./operations/signatures.js";
export type { Page, Paginator } from "./operations/paginate.js";
export type { RetryOptions } from "./transport/retry.js";
export type { TokenSource } from "./transport/token.js";
export type { ThrottleOptions } from "./throttle/throttle.js";
export type { NetworkDelayOption } from "./throttle/arrival.js";
export type { RedisThrottleOptions, RedisErrorMode, IORedisClientLike } from "./throttle/redis/options.js";
export { AstroRedisError } from "./throttle/redis/error.js";
export { DEFAULT_LIMITS, type RateLimits, type MethodClass } from "./throttle/limits.js";
export type { LimiterCounts } from "./throttle/limiter.js";
export type { AstroEvent, RequestEvent, EventBase, AstroLogger } from "./events/astro-event.js";
export {
  AstroError,
  AstroConfigError,
  AstroApiError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  PreconditionFailedError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  InvalidResponseError,
  AstroConnectionError,
  AstroTimeoutError,
  type FieldError,
  type ErrorResponseInfo,
} from "./errors/error-classes.js";
export type { AstroRequestInfo } from "./errors/request-record.js";
export { specs } from "../generated/specs.js";
export type {
  OperationInfo,
  OperationKind,
  ApiName,
  DocumentName,
  ResponseBody,
} from "../generated/operations.js";
// The workflows' values come from their own small modules, not the ./workflows/index.js barrel:
// the barrel also exports createWorkflows, and taking values through it puts the whole of the
// workflows in a chunk the entries load (tsup's splitting), undoing their lazy loading (lazy.ts).
// Types are erased, so they come through the barrel.
export { AstroWaiterError, AstroDeployError } from "./workflows/errors.js";
export {
  WAITER_DEFAULTS,
  WAITER_STATUSES,
  DEPLOY_IGNORE_FILE,
  HYBRID_MONITORING_DAG,
  CLUSTER_DELETED_DEFAULTS,
  CLUSTER_DELETE_IDLE_DEFAULTS,
} from "./workflows/constants.js";
export type {
  Workflows,
  WorkflowClient,
  WorkflowEvent,
  WaiterEvent,
  DeployStepEvent,
  UploadProgressEvent,
  WaiterName,
  WaiterStatuses,
  WaiterEvents,
  DeployWorkflowEvent,
  DeployDagsStep,
  WaiterFailureReason,
  DeployStep,
  WaiterOptions,
  DeploymentReadyOptions,
  DeploymentIds,
  ClusterIds,
  DeployIds,
  DeletedTarget,
  WaitTiming,
  DeployDagsInput,
  DeployDagsOptions,
  DeployDagsResult,
  UploadOptions,
  TarballSource,
  WaiterErrorInfo,
  WorkflowCallOptions,
  WorkflowCallResult,
  GetterName,
  DeployCommonInput,
  DeployBundleInput,
  DeployBundleResult,
  DeployGit,
  GitOption,
  PreflightOptions,
  MutationEvidence,
  ClusterCalls,
} from "./workflows/index.js";
