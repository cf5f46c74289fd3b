/**
 * The attempts' timeouts, on one timer for the whole process.
 *
 * Why not a `setTimeout` per attempt: a call on its own is the only timer of its duration, so
 * each one made Node create and tear down a timer list and re-arm the event loop's native timer,
 * which `npm run bench` measured at about 3% of a local call. Here an attempt costs a `Set` entry;
 * the one timer is re-armed only when an attempt is due before it (a shorter `timeoutMs`), or
 * when it fires early and moves on to the next attempt still in flight.
 */
import { MAX_TIMER_MS } from "./timers.js";

/** An attempt being watched: `expire` runs once, when `at` (a `performance.now()` time) passes. */
export interface Deadline {
  readonly at: number;
  expire(): void;
}

const watched = new Set<Deadline>();
let timer: ReturnType<typeof setTimeout> | undefined;
/** When `timer` fires (`performance.now()` time). */
let timerAt = Infinity;
/** The clock `timerAt` was read on. */
let timerClock: (() => number) | undefined;

function arm(at: number): void {
  if (timer !== undefined) clearTimeout(timer);
  timerAt = at;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- compared in watch(), never called
  timerClock = performance.now;
  timer = setTimeout(sweep, Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(at - performance.now()))));
}

/** Expires every attempt that is due and arms the timer for the next one, if any. */
function sweep(): void {
  timer = undefined;
  timerAt = Infinity;
  const now = performance.now();
  let next = Infinity;
  for (const deadline of watched) {
    if (deadline.at <= now) {
      watched.delete(deadline);
      deadline.expire();
    } else if (deadline.at < next) next = deadline.at;
  }
  // An `expire` that started an attempt of its own armed the timer for it already.
  if (next < timerAt) arm(next);
}

/**
 * Starts watching `deadline`. While anything is watched the timer keeps the process alive (an
 * attempt waits for its answer or its timeout, whatever `fetch` is in use); once nothing is, it
 * no longer does, so a script exits as soon as its last call settles.
 */
export function watch(deadline: Deadline): void {
  watched.add(deadline);
  // A timer armed on another clock (a test's fake `performance`, which counts from 0) fires at a
  // time that means nothing on this one: it is armed again, for this deadline, on this clock.
  if (deadline.at < timerAt || performance.now !== timerClock) arm(deadline.at);
  // `?.()`: outside Node (browsers, edge workers) a timer is a number, with nothing to keep alive.
  else if (watched.size === 1) timer?.ref?.();
}

/** Stops watching `deadline` (its attempt settled); `expire` will not run. */
export function unwatch(deadline: Deadline): void {
  if (watched.delete(deadline) && watched.size === 0) timer?.unref?.();
}
