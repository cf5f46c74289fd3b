/**
 * astro-api-client: an unofficial TypeScript SDK for Astronomer's Astro API.
 * @packageDocumentation
 */
export {
  createAstroClient,
  type AstroClient,
  type PlatformClient,
  type IamClient,
} from "./client/create-client.js";
export type { AstroClientOptions } from "./client/options.js";
export { VERSION } from "./client/version.js";
export type { ApiClient } from "./operations/api-client.js";
export type {
  AstroResponse,
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
export type { RateLimits, MethodClass } from "./throttle/limits.js";
export type { LimiterCounts } from "./throttle/limiter.js";
export type { AstroEvent, AstroLogger } from "./events/astro-event.js";
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
} from "./errors/error-classes.js";
export type { AstroRequestInfo } from "./errors/request-record.js";
export {
  operations,
  specs,
  type OperationInfo,
  type OperationKind,
  type ApiName,
} from "../generated/operations.js";
export type { paths as PlatformPaths, components as PlatformComponents } from "../generated/platform.js";
export type { paths as IamPaths, components as IamComponents } from "../generated/iam.js";
