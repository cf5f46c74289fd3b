import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";

/** Rate-limit classes: the API limits GET, POST and DELETE separately, per token. */
export type MethodClass = "get" | "post" | "delete";
export const METHOD_CLASSES: readonly MethodClass[] = ["get", "post", "delete"];

/** Requests per second, per token, for each method class. */
export interface RateLimits {
  /** GET requests per second. */
  get: number;
  /** POST, PUT and PATCH requests per second. */
  post: number;
  /** DELETE requests per second. */
  delete: number;
}

/** Astronomer's published limits per API token. */
export const DEFAULT_LIMITS: Readonly<RateLimits> = Object.freeze({ get: 25, post: 10, delete: 5 });

/**
 * Added to each 1,000 ms window. A unit is given back a window after its attempt ended, which
 * already bounds when the server received it; the margin absorbs timer granularity (libuv may
 * fire a timer up to a millisecond before `performance.now()` says it is due).
 */
export const DEFAULT_MARGIN_MS = 5;

/** Writes other than DELETE (PUT, PATCH) count with POST; HEAD and OPTIONS with GET. */
export function methodClass(method: string): MethodClass {
  switch (method.toUpperCase()) {
    case "GET":
    case "HEAD":
    case "OPTIONS":
      return "get";
    case "DELETE":
      return "delete";
    default:
      return "post";
  }
}

export function checkLimits(limits: Partial<RateLimits> | undefined): RateLimits {
  const merged = { ...DEFAULT_LIMITS, ...limits };
  for (const cls of METHOD_CLASSES) {
    const value = merged[cls];
    if (!Number.isInteger(value) || value < 1) {
      throw new AstroConfigError(
        `throttle.limits.${cls} must be a whole number of requests per second ≥ 1, got ${describeValue(value)}`,
      );
    }
  }
  return merged;
}
