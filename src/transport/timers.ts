/**
 * Timers for any delay. `setTimeout` fires at once (with a warning) for a delay over
 * MAX_TIMER_MS, so the waits that may be that long — a waiter's deadline, a pause — are chained.
 */
import { abortReason, whenAborted } from "./abort-fanout.js";

/** setTimeout's limit (2^31 − 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** setTimeout for any delay: delays over MAX_TIMER_MS are chained instead of firing at once. */
export function chainedTimer(ms: number, fire: () => void): { clear: () => void } {
  const end = performance.now() + ms;
  let handle: ReturnType<typeof setTimeout>;
  const arm = (left: number) => {
    handle = setTimeout(
      () => {
        const rest = end - performance.now();
        if (rest > 1) arm(rest);
        else fire();
      },
      Math.min(Math.max(left, 0), MAX_TIMER_MS),
    );
  };
  arm(ms);
  return { clear: () => clearTimeout(handle) };
}

/** Resolves after `ms` (any length), or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // The signal's reason is passed on as it is: callers compare it with what they aborted with.
    if (signal?.aborted) return reject(abortReason(signal));
    const stop = whenAborted(signal, () => {
      timer.clear();
      reject(abortReason(signal!));
    });
    const timer = chainedTimer(ms, () => {
      stop();
      resolve();
    });
  });
}
