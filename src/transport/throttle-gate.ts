import type { MethodClass } from "../throttle/limits.js";
import type { Throttle } from "../throttle/throttle.js";

/**
 * What an attempt tells the throttle about itself: when the server answered (or the attempt
 * ended), and when the answer was a 429. The interface the throttle's `run` hands each attempt.
 */
export interface AttemptTicket {
  answered(): void;
  rateLimited(retryAfterMs: number | undefined): void;
}

/** A ticket nobody reads: for calls with throttling off, and until the throttle reads tickets. */
export const UNTHROTTLED: AttemptTicket = Object.freeze({ answered() {}, rateLimited() {} });

/**
 * The one place the call loop meets the throttle: runs `attempt` once the token's budget for
 * `cls` allows; if `signal` aborts while it waits, rejects with the signal's reason and uses no
 * budget. At merge with the throttle branch this becomes
 * `throttle.run(tokenHash, cls, attempt, signal)`.
 */
export function throughThrottle<T>(
  throttle: Throttle,
  tokenHash: string,
  cls: MethodClass,
  attempt: (ticket: AttemptTicket) => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  return throttle.limiter(tokenHash, cls).schedule(() => attempt(UNTHROTTLED), signal);
}
