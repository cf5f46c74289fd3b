/**
 * The pace a test server may ask the waiters for. The SDK's fake (`startAstroFake`) answers with
 * `x-astro-fake-poll-ms`: its resources move on at the next read rather than in minutes, so a
 * waiter polling it at Astro's pace (5 s and more between polls) only sleeps. A waiter honours the
 * header only from a loopback address it sent the request to itself (`127.0.0.0/8`, `[::1]`,
 * `localhost`): a real or hostile server, or anything between, cannot make the SDK poll Astro
 * faster than the waiters' defaults. Timing the caller set (`minDelayMs`, `maxDelayMs`) wins.
 */
import type { Check } from "./poll.js";
import type { WaitTiming } from "./timing.js";
import { isLoopback } from "./host-ranges.js";

/** The header in which a loopback test server gives the pause between polls it wants, in ms. */
export const POLL_HINT_HEADER = "x-astro-fake-poll-ms";
/** The shortest pause a hint may ask for: even a loopback server does not get a busy loop. */
export const MIN_HINTED_DELAY_MS = 10;

/**
 * The pause a poll's answer asks for, in ms: only from a loopback URL (`response.url` is set by
 * `fetch` to where the request went, after any redirect; a response built by hand has none), only
 * as plain digits, never under MIN_HINTED_DELAY_MS.
 */
export function pollHint(response: unknown): number | undefined {
  if (!(response instanceof Response) || !isLoopback(response.url)) return undefined;
  const value = response.headers.get(POLL_HINT_HEADER)?.trim();
  if (value === undefined || !/^\d{1,9}$/.test(value)) return undefined;
  return Math.max(Number(value), MIN_HINTED_DELAY_MS);
}

/** `check` with the pause its answer asked for. */
export function withHint<T>(check: Check<T>, response: unknown): Check<T> {
  const hintMs = pollHint(response);
  return hintMs === undefined ? check : { ...check, hintMs };
}

/** Whether the caller set the pace (`minDelayMs` or `maxDelayMs`): then no hint changes it. */
export function paceSet(timing: Partial<WaitTiming> | undefined): boolean {
  return timing?.minDelayMs !== undefined || timing?.maxDelayMs !== undefined;
}

/**
 * The timing of the next pause: a hinted pause replaces the waiter's own when the caller set none,
 * and can only shorten it (a hint above the waiter's longest pause is cut to it).
 */
export function hintedTiming(timing: WaitTiming, hintMs: number | undefined, callerSet: boolean): WaitTiming {
  if (hintMs === undefined || callerSet) return timing;
  const pause = Math.min(hintMs, timing.maxDelayMs);
  return { maxWaitMs: timing.maxWaitMs, minDelayMs: pause, maxDelayMs: pause };
}
