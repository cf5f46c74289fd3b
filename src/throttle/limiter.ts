import type { MethodClass } from "./limits.js";

/** Counts of one limiter, for `client.stats()`. */
export interface LimiterCounts {
  /** Waiting for budget. */
  queued: number;
  /** Started and not yet finished. */
  running: number;
}

/** Runs tasks so that no more than `limit` start in any sliding window. */
export interface Limiter {
  /**
   * Runs `task` once budget allows. If `signal` aborts while the task waits, the returned promise
   * rejects at once with the signal's reason, and the task never runs nor uses budget.
   */
  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  counts(): LimiterCounts;
}

/** What a limiter is for: the (hashed) token, the method class, and its limit per window. */
export interface LimiterKey {
  tokenHash: string;
  methodClass: MethodClass;
  limit: number;
  windowMs: number;
}

/** Makes the limiter for a key: in-process by default, shared through Redis when configured. */
export type LimiterFactory = (key: LimiterKey) => Limiter;
