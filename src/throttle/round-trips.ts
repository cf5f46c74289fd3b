import { METHOD_CLASSES, type MethodClass } from "./limits.js";

/**
 * What `networkDelayMs: "learned"` (the default) knows about one client's network path: the
 * recent round trips of each method class, and from them a bound on how much one request's
 * one-way delay may exceed another's (the spread — what costs throughput, see `arrival.ts`).
 *
 * Why round trips bound the one-way spread: a round trip is the way there, the server's
 * processing and the way back, and a sum of independent parts spreads at least as much as each
 * part. Every class shares the way there, so the class whose round trips spread least (GETs:
 * no processing to speak of) bounds it best; a create that takes 1–2 s teaches nothing about the
 * network, and is not asked to. Of that spread, a share is taken as the way there's: half at
 * first (jitter falls on both ways alike), more after a 429 (the server saw more than the limit
 * in a window: the bet was wrong), back down step by step while no 429 comes.
 *
 * Everything here runs when an answer arrives, never when a unit is taken: the estimate is a
 * number read when a request is sent.
 */

/** How many recent round trips each class keeps. */
export const SAMPLES = 64;
/** A class's round trips say nothing before this many (the client waits for responses until then). */
export const MIN_SAMPLES = 8;
/** The share of the round-trip spread taken as the way there's spread, with no 429 seen. */
export const BASE_SHARE = 0.5;
/** What each 429 adds to the share (at most once per window), up to the whole spread. */
export const SHARE_STEP = 0.25;
const MAX_SHARE = 1;
/** A raised share comes down one step after this long without a 429. */
const CALM_MS = 30_000;

/** The recent round trips of one method class, with their least and greatest. */
export class RoundTrips {
  readonly #values: number[] = [];
  #next = 0;
  #low = Infinity;
  #high = -Infinity;
  readonly #path: NetworkPath;

  constructor(path: NetworkPath) {
    this.#path = path;
  }

  /** The path these round trips belong to (shared by the client's classes). */
  get path(): NetworkPath {
    return this.#path;
  }

  /**
   * How far apart the round trips kept lie, corrected for a small sample (the range of n draws
   * from a uniform spread is on average (n − 1) ÷ (n + 1) of it); `Infinity` with too few.
   */
  spread(): number {
    const n = this.#values.length;
    if (n < MIN_SAMPLES) return Infinity;
    return ((this.#high - this.#low) * (n + 1)) / (n - 1);
  }

  /** A round trip of `ms` (from the handing to `fetch` to the response headers), at `now`. */
  record(ms: number, now: number): void {
    const values = this.#values;
    let evicted: number | undefined;
    if (values.length < SAMPLES) values.push(ms);
    else {
      evicted = values[this.#next];
      values[this.#next] = ms;
    }
    this.#next = (this.#next + 1) % SAMPLES;
    const low = this.#low;
    const high = this.#high;
    if (evicted === low || evicted === high) {
      this.#low = Math.min(...values);
      this.#high = Math.max(...values);
    } else {
      if (ms < low) this.#low = ms;
      if (ms > high) this.#high = ms;
    }
    // Once full and steady, most answers change nothing: the path's estimate is left as it is
    // (and whether a raised share may come down is asked once per round of the ring).
    if (evicted === undefined || this.#low !== low || this.#high !== high || this.#next === 0) {
      this.#path.update(now);
    }
  }
}

/** One client's network path: its classes' round trips and the share a 429 raised. */
export class NetworkPath {
  readonly #classes: Record<MethodClass, RoundTrips>;
  #share = BASE_SHARE;
  /** When a 429 last raised the share (`performance.now()` time). */
  #raisedAt = -Infinity;
  /** From when the share has been where it is without a 429. */
  #calmFrom = -Infinity;
  #spread = Infinity;

  constructor() {
    this.#classes = Object.fromEntries(METHOD_CLASSES.map((cls) => [cls, new RoundTrips(this)])) as Record<
      MethodClass,
      RoundTrips
    >;
  }

  /** The round trips of `cls`. */
  of(cls: MethodClass): RoundTrips {
    return this.#classes[cls];
  }

  /**
   * How much later than another one a request may reach the server after it is sent, as learnt:
   * `Infinity` until some class has enough round trips (until then the client waits for answers).
   */
  oneWaySpread(): number {
    return this.#spread;
  }

  /** The share of the round-trip spread taken now (for tests and stats). */
  get share(): number {
    return this.#share;
  }

  /** The server answered 429 at `now`: take more of the spread (once per `windowMs`). */
  rateLimited(now: number, windowMs: number): void {
    if (now - this.#raisedAt < windowMs) return;
    this.#share = Math.min(MAX_SHARE, this.#share + SHARE_STEP);
    this.#raisedAt = now;
    this.#calmFrom = now;
    this.update(now);
  }

  /** Recomputes the estimate (after a round trip, or a 429) at `now`. */
  update(now: number): void {
    if (this.#share > BASE_SHARE && now - this.#calmFrom >= CALM_MS) {
      this.#share = Math.max(BASE_SHARE, this.#share - SHARE_STEP);
      this.#calmFrom = now;
    }
    let least = Infinity;
    for (const cls of METHOD_CLASSES) least = Math.min(least, this.#classes[cls].spread());
    this.#spread = least * this.#share;
  }
}
