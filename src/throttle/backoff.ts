/**
 * What a 429 does to a budget: the server counts differently from the client (another process
 * without shared limits, a lower limit than published), so every call sharing the budget backs
 * off, not only the one that was refused.
 *
 * - Pause: no unit is granted until the server's `Retry-After` has passed. Without one the
 *   server asked for no particular time, and only the cut applies.
 * - Cut: the budget's ceiling drops to 70% of what it was (at most once per window, so the 429s
 *   of one burst count once), then climbs back one unit per window without a 429, up to the
 *   limit. The same multiplicative-decrease shape as AWS SDK v3's adaptive retry mode, but
 *   applied to the sliding window the client already keeps, and shared through Redis.
 *
 * The state is a few timestamps read lazily: nothing runs while nobody calls.
 */
export const CUT_FACTOR = 0.7;
/**
 * The longest `Retry-After` that pauses the budget for everybody. A server (or something
 * pretending to be it) cannot stop every call for hours: a call told to wait longer fails by the
 * retry policy (`maxRetryAfterMs`, default 60 s), and the others find out the same way.
 */
export const MAX_PAUSE_MS = 60_000;

export class Backoff {
  readonly #windowMs: number;
  /** No unit is granted before this (`performance.now()` time). */
  #pausedUntil = -Infinity;
  /** The ceiling right after the last cut, and from when it climbs. */
  #floor = Infinity;
  #climbFrom = -Infinity;
  #lastCutAt = -Infinity;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** A 429 at `now`: pause for `retryAfterMs`, and cut the ceiling (once per window). */
  apply(now: number, retryAfterMs: number | undefined, limit: number): void {
    if (retryAfterMs !== undefined && retryAfterMs > 0 && retryAfterMs <= MAX_PAUSE_MS) {
      this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
    }
    if (now - this.#lastCutAt >= this.#windowMs) {
      this.#floor = Math.max(1, Math.floor(this.ceiling(now, limit) * CUT_FACTOR));
      this.#lastCutAt = now;
    }
    this.#climbFrom = Math.max(now, this.#pausedUntil);
  }

  /**
   * No 429 is heeded: no pause set, and the ceiling back at the limit (the pause is cleared once
   * `allowed` sees it passed, the cut once `ceiling` sees it climbed back). A quiet budget allows
   * the limit at any moment.
   */
  get quiet(): boolean {
    return this.#pausedUntil === -Infinity && this.#floor === Infinity;
  }

  /** Whether units are held back at `now` (a 429's Retry-After has not passed). */
  pausedUntil(now: number): number | undefined {
    return now < this.#pausedUntil ? this.#pausedUntil : undefined;
  }

  /** How many units may be in use at `now`: none while paused, else `ceiling`. */
  allowed(now: number, limit: number): number {
    if (now < this.#pausedUntil) return 0;
    this.#pausedUntil = -Infinity;
    return this.ceiling(now, limit);
  }

  /** How many units may be busy at `now`: the limit, or less while recovering from a 429. */
  ceiling(now: number, limit: number): number {
    if (this.#floor >= limit) {
      this.#floor = Infinity;
      return limit;
    }
    const steps = Math.floor(Math.max(0, now - this.#climbFrom) / this.#windowMs);
    const ceiling = this.#floor + steps;
    if (ceiling >= limit) {
      this.#floor = Infinity;
      return limit;
    }
    return ceiling;
  }

  /** When the ceiling next rises (for a waiter to wake), or `undefined` when at the limit. */
  nextRise(now: number, limit: number): number | undefined {
    if (this.ceiling(now, limit) >= limit) return undefined;
    const steps = Math.floor(Math.max(0, now - this.#climbFrom) / this.#windowMs);
    return this.#climbFrom + (steps + 1) * this.#windowMs;
  }

  /** Nothing of a 429 is left at `now`. */
  settled(now: number, limit: number): boolean {
    return this.pausedUntil(now) === undefined && this.ceiling(now, limit) >= limit;
  }
}
