/** How failed attempts are retried. */
export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** First backoff delay in ms (default 500); doubles each retry. */
  initialDelayMs?: number;
  /** Backoff cap in ms (default 8,000). */
  maxDelayMs?: number;
  /**
   * Longest `Retry-After` the client will wait (default 60,000 ms). A 429 asking for longer is
   * thrown at once as a `RateLimitError` carrying `retryAfterMs`, so the caller decides.
   */
  maxRetryAfterMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
});

/** Exponential backoff with "equal jitter": half fixed, half random, so retries never bunch up at 0. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const full = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** retry);
  return Math.round(full / 2 + random() * (full / 2));
}

/** Statuses that mean "the server failed, the request may or may not have been processed". */
export function isRetryableServerStatus(status: number): boolean {
  return status === 500 || status === 502 || status === 503 || status === 504;
}
