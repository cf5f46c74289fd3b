/**
 * astro-api-client: an unofficial TypeScript SDK for Astronomer's Astro API.
 * @packageDocumentation
 */
export { createAstroClient, type AstroClient, type PlatformClient, type IamClient } from "./client.js";
export type { ApiClient } from "./api-client.js";
export type { AstroClientOptions } from "./options.js";
export type { RetryOptions } from "./retry.js";
export type { ThrottleOptions } from "./throttle/throttle.js";
export type { NetworkDelayOption } from "./throttle/arrival.js";
export type { RedisThrottleOptions, RedisErrorMode, IORedisClientLike } from "./throttle/redis/options.js";
export { AstroRedisError } from "./throttle/redis/error.js";
export type { RateLimits, MethodClass } from "./throttle/limits.js";
export type { LimiterCounts } from "./throttle/limiter.js";
export type { AstroEvent, AstroLogger } from "./events.js";
export type { TokenSource } from "./token.js";
export type { AstroResponse, CallOptions, MethodOptions, OperationArgs, PaginateOptions } from "./types.js";
export type { Page, Paginator } from "./paginate.js";
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
  type AstroRequestInfo,
} from "./errors.js";
export {
  operations,
  specs,
  type OperationInfo,
  type OperationKind,
  type ApiName,
} from "../generated/operations.js";
export type { paths as PlatformPaths, components as PlatformComponents } from "../generated/platform.js";
export type { paths as IamPaths, components as IamComponents } from "../generated/iam.js";
export { VERSION } from "./version.js";
