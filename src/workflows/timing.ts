import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { chainedTimer } from "../transport/timers.js";

/** How long and how often a waiter polls. */
export interface WaitTiming {
  /** Longest time to wait, in ms, polls included. */
  maxWaitMs: number;
  /** Shortest pause between two polls, in ms. */
  minDelayMs: number;
  /** Longest pause between two polls, in ms. */
  maxDelayMs: number;
}

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

/** A signal that aborts after `ms` (any length); `clear` stops its timer. */
export function deadlineSignal(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = chainedTimer(Math.max(ms, 0), () =>
    controller.abort(new Error(`deadline of ${ms} ms passed`)),
  );
  return { signal: controller.signal, clear: timer.clear };
}
