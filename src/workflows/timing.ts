import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { whenAborted } from "../transport/abort-fanout.js";

/** How long and how often a waiter polls. */
export interface WaitTiming {
  /** Longest time to wait, in ms, polls included. */
  maxWaitMs: number;
  /** Shortest pause between two polls, in ms. */
  minDelayMs: number;
  /** Longest pause between two polls, in ms. */
  maxDelayMs: number;
}

/** setTimeout's limit: a longer delay fires at once (with a warning), so longer waits are chained. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

function positive(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new AstroConfigError(
      `${name} must be a finite number of milliseconds > 0, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** The caller's timing over the waiter's defaults, checked. */
export function resolveTiming(
  options: Partial<Record<keyof WaitTiming, unknown>>,
  defaults: WaitTiming,
): WaitTiming {
  const maxWaitMs = positive(options.maxWaitMs, "maxWaitMs") ?? defaults.maxWaitMs;
  const minDelayMs = positive(options.minDelayMs, "minDelayMs");
  const maxDelayMs = positive(options.maxDelayMs, "maxDelayMs");
  if (minDelayMs !== undefined && maxDelayMs !== undefined && minDelayMs > maxDelayMs) {
    throw new AstroConfigError(`minDelayMs (${minDelayMs}) must not exceed maxDelayMs (${maxDelayMs})`);
  }
  const min = minDelayMs ?? Math.min(defaults.minDelayMs, maxDelayMs ?? Infinity);
  const max = maxDelayMs ?? Math.max(defaults.maxDelayMs, min);
  return { maxWaitMs, minDelayMs: min, maxDelayMs: max };
}

/**
 * The pause before poll `attempt + 1`: the ceiling doubles from `minDelayMs` per poll up to
 * `maxDelayMs`, and the pause is drawn in the upper half of it (never under `minDelayMs`), so
 * waiters started together spread out, and a long wait keeps its jitter at the cap (AWS's waiters
 * poll at exactly `maxDelay` once they reach it).
 */
export function backoffDelay(
  attempt: number,
  timing: WaitTiming,
  random: () => number = Math.random,
): number {
  const doublings = Math.min(Math.max(attempt - 1, 0), 52);
  const ceiling = Math.min(timing.maxDelayMs, timing.minDelayMs * 2 ** doublings);
  const low = Math.max(timing.minDelayMs, ceiling / 2);
  return low + random() * (ceiling - low);
}

/** Resolves after `ms` (any length), or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // The signal's reason is passed on as it is: callers compare it with what they aborted with.
    if (signal?.aborted) return reject(signal.reason as unknown);
    const stop = whenAborted(signal, () => {
      timer.clear();
      reject(signal?.reason as unknown);
    });
    const timer = chainedTimer(ms, () => {
      stop();
      resolve();
    });
  });
}

/** A signal that aborts after `ms` (any length); `clear` stops its timer. */
export function deadlineSignal(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = chainedTimer(Math.max(ms, 0), () =>
    controller.abort(new Error(`deadline of ${ms} ms passed`)),
  );
  return { signal: controller.signal, clear: timer.clear };
}

/** setTimeout for any delay: delays over MAX_TIMER_MS are chained instead of firing at once. */
function chainedTimer(ms: number, fire: () => void): { clear: () => void } {
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
