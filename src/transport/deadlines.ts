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

function arm(at: number): void {
  if (timer !== undefined) clearTimeout(timer);
  timerAt = at;
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
  if (deadline.at < timerAt) arm(deadline.at);
  // The timer is past its time: the loop was blocked, or the clock jumped (a test's fake
  // `performance` counts from 0, so a timer armed on it is due at a time long gone). It is re-armed
  // to sweep at once rather than trusted to fire at a time the clock no longer means.
  else if (timerAt < performance.now()) arm(timerAt);
  // `?.()`: outside Node (browsers, edge workers) a timer is a number, with nothing to keep alive.
  else if (watched.size === 1) timer?.ref?.();
}

/** Stops watching `deadline` (its attempt settled); `expire` will not run. */
export function unwatch(deadline: Deadline): void {
  if (watched.delete(deadline) && watched.size === 0) timer?.unref?.();
}
