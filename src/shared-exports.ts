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
export {
  specs,
  type OperationInfo,
  type OperationKind,
  type ApiName,
  type DocumentName,
  type ResponseBody,
} from "../generated/operations.js";
export {
  AstroWaiterError,
  AstroDeployError,
  WAITER_DEFAULTS,
  WAITER_STATUSES,
  DEPLOY_IGNORE_FILE,
  type Workflows,
  type WorkflowClient,
  type WorkflowEvent,
  type WaiterEvent,
  type DeployStepEvent,
  type UploadProgressEvent,
  type WaiterName,
  type WaiterStatuses,
  type WaiterEvents,
  type DeployWorkflowEvent,
  type DeployDagsStep,
  type WaiterFailureReason,
  type DeployStep,
  type WaiterOptions,
  type DeploymentReadyOptions,
  type DeploymentIds,
  type ClusterIds,
  type DeployIds,
  type DeletedTarget,
  type WaitTiming,
  type DeployDagsInput,
  type DeployDagsOptions,
  type DeployDagsResult,
  type UploadOptions,
  type TarballSource,
  type WaiterErrorInfo,
  type WorkflowCallOptions,
  type WorkflowCallResult,
  type GetterName,
  type DeployCommonInput,
  type DeployBundleInput,
  type DeployBundleResult,
  type DeployGit,
  type GitOption,
  type PreflightOptions,
  type MutationEvidence,
  type ClusterCalls,
  HYBRID_MONITORING_DAG,
  CLUSTER_DELETED_DEFAULTS,
  CLUSTER_DELETE_IDLE_DEFAULTS,
} from "./workflows/index.js";
