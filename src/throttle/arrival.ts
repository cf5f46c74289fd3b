import { AstroConfigError } from "../errors/error-classes.js";
import type { AttemptTimes } from "./limiter.js";
import { MIN_SAMPLES, SAMPLES, type RoundTrips } from "./round-trips.js";

/**
 * `throttle.networkDelayMs`: what the throttle may assume about how long a request takes to
 * travel from this process to the API (one way, connecting included).
 *
 * - `"learned"` (default): the client learns, from the round trips it measures, how much later
 *   one request may reach the server than another after being sent (see `round-trips.ts`), and a
 *   unit comes back that spread plus a window after sending — or a window after the response,
 *   if sooner. Until some class has 8 round trips it waits for responses, as `"unknown"`. A 429
 *   makes it take more of the measured spread. Residual risk: jitter that falls on the way there
 *   only, beyond what was measured, may let one window over, which the server answers with 429
 *   (retried; docs/throttle.md).
 * - `"unknown"` (strict): nothing. A request is counted as received when its response headers
 *   arrived, which holds on any network; each unit is then busy for a window plus the request's
 *   whole round trip and server processing. Never a window over at the server.
 * - `"measured"`: a unit comes back a window after its response minus half the fastest round
 *   trip among the budget's last 64. Sound while that fastest round trip is at most twice the
 *   network's floor round trip: j's way there plus i's way back (and processing) are at least the
 *   floor. A slow operation still holds its unit until its response.
 * - `{ min, max }`: every request reaches the server between `min` and `max` ms after it is sent.
 *   A unit is then busy for a window plus `max − min` whatever the server's processing time: a
 *   create that takes 2 s no longer holds its unit for 2 s. If a request ever takes longer than
 *   `max` (a TCP retransmit, a proxy that queues), more than the limit may arrive in one window.
 */
export type NetworkDelayOption =
  | "learned"
  | "unknown"
  | "measured"
  | {
      /** The least time, in ms, a request takes to reach the server. */
      min: number;
      /** The most time, in ms, a request takes to reach the server. */
      max: number;
    };

/**
 * An attempt that ended without a response (timed out, aborted in flight, connection failed) may
 * still reach the server later: a proxy may hold it, or the server may read it late. Its unit is
 * held this long beyond the usual window after the attempt ended. A request delayed longer than
 * that after the client gave up may share a window with later ones (the residual risk, docs/rate-limits.md).
 */
export const UNANSWERED_HOLD_MS = 10_000;

/** The largest `max` accepted: a request a minute on its way is no bound worth asserting. */
const MAX_DELAY_MS = 60_000;

// `"measured"` looks at as many recent round trips as `"learned"` keeps (SAMPLES), and assumes
// nothing before as many as `"learned"` needs (MIN_SAMPLES).

/**
 * The bounds on one-way delay one client asserts; `measured` stands for a learnt lower bound, and
 * `learned` for a spread learnt from the round trips of the budget's class on the client's path.
 */
export interface DelayBounds {
  min: number | "measured";
  max: number;
  learned?: RoundTrips;
}

/** No assumption: `"unknown"`. */
export const STRICT: DelayBounds = Object.freeze({ min: 0, max: Infinity });

/** The option checked: the bounds it asserts, or `"learned"` (each client then learns its own path). */
export function checkNetworkDelay(option: NetworkDelayOption | undefined): DelayBounds | "learned" {
  if (option === undefined || option === "learned") return "learned";
  if (option === "unknown") return STRICT;
  if (option === "measured") return { min: "measured", max: Infinity };
  const { min, max } = (option ?? {}) as { min?: unknown; max?: unknown };
  if (
    typeof option !== "object" ||
    typeof min !== "number" ||
    typeof max !== "number" ||
    !Number.isFinite(min) ||
    !Number.isFinite(max) ||
    min < 0 ||
    max < min ||
    max > MAX_DELAY_MS
  ) {
    throw new AstroConfigError(
      `throttle.networkDelayMs must be "learned", "unknown", "measured", or { min, max } with 0 ≤ min ≤ max ≤ ${MAX_DELAY_MS} (ms)`,
    );
  }
  return { min, max };
}

/**
 * When a budget's units come back, from when each attempt started and was answered.
 *
 * The rule: among any limit + 1 requests of one budget, the last one (j) was started only once
 * the unit of one of the others (i) came back, at `T_i`. If the server received i at `R_i` and j
 * at `R_j ≥ S_j + minDelay`, then `R_j − R_i ≥ T_i + minDelay − R_i`, which is at least a window
 * when `T_i = upperBound(R_i) − minDelay + window`. Upper bounds on `R_i`: the response's arrival
 * (always), and `S_i + maxDelay` (when asserted). Clients that share a budget with different
 * assumptions share the most cautious: the smallest `min`, the largest `max`, and `learned`
 * only while every one of them learns.
 *
 * `learned`: the way there spreads by at most `s` (learnt), so `R_i ≤ S_i + m + s` and
 * `R_j ≥ S_j + m` for the path's unknown floor `m`: `T_i = S_i + s + window`. The spread is read
 * when the request is sent; the unit comes back then, or a window after the response if sooner.
 */
export class ArrivalModel {
  #fixedMin = Infinity;
  /** `minDelay()` while nothing is measured (read at every release, so kept, not recomputed). */
  #fixedMinOrZero = 0;
  #measured = false;
  #max = 0;
  readonly #samples: number[] = [];
  #next = 0;
  #fastest: number | undefined;
  /** The round trips learnt from, while every client sharing the budget learns. */
  #learned: RoundTrips | undefined;
  /** Some client sharing the budget does not learn: nothing learnt is used. */
  #notLearned = false;

  constructor(bounds: DelayBounds) {
    this.add(bounds);
  }

  /** Another client shares the budget: its assumptions combine with the others' (most cautious wins). */
  add(bounds: DelayBounds): void {
    if (bounds.learned && !this.#notLearned) this.#learned ??= bounds.learned;
    else {
      this.#notLearned = true;
      this.#learned = undefined;
    }
    if (bounds.min === "measured") this.#measured = true;
    else this.#fixedMin = Math.min(this.#fixedMin, bounds.min);
    this.#fixedMinOrZero = Number.isFinite(this.#fixedMin) ? this.#fixedMin : 0;
    this.#max = Math.max(this.#max, bounds.max);
  }

  /**
   * Whether the moment a request is sent matters: with an asserted maximum delay (it bounds the
   * arrival), or `"measured"` (it starts the round trip learnt).
   */
  get readsSentAt(): boolean {
    return this.#max !== Infinity || this.#measured || this.#learned !== undefined;
  }

  /** The earliest a request can reach the server after it is sent, as assumed now. */
  minDelay(): number {
    if (!this.#measured) return this.#fixedMinOrZero;
    const min = Math.min(this.#fixedMin, this.#learntMin());
    return Number.isFinite(min) ? min : 0;
  }

  /**
   * When a unit whose request was handed to `fetch` at `sentAt` comes back at the latest if it
   * is answered (`Infinity` without an asserted `max`): the unit need not wait for a slow response.
   */
  provisionalAt(sentAt: number, windowMs: number): number {
    if (this.#learned) return sentAt + this.#learned.path.oneWaySpread() + windowMs;
    return sentAt + this.#max - this.minDelay() + windowMs;
  }

  /**
   * When the unit of an attempt that ran with `times` comes back, for windows of `windowMs`: at
   * the latest at `provisional`, when it was held until then at sending.
   */
  releaseAt(times: AttemptTimes, windowMs: number, provisional?: number): number {
    const { sentAt, answeredAt, endedAt } = times;
    if (answeredAt === undefined) return endedAt + windowMs + UNANSWERED_HOLD_MS;
    const min = this.minDelay();
    // Only a round trip timed from the handing to fetch is learnt: one timed from earlier (the
    // grant, a token function) is longer, and half of it could exceed the network's floor.
    if (sentAt !== undefined) {
      if (this.#measured) this.#record(answeredAt - sentAt);
      this.#learned?.record(answeredAt - sentAt, answeredAt);
    }
    // `sentAt + max` bounds the arrival only when measured from the handing to fetch.
    const bound = sentAt === undefined ? answeredAt : Math.min(answeredAt, sentAt + this.#max);
    const at = bound - min + windowMs;
    return provisional === undefined || at < provisional ? at : provisional;
  }

  /** The server answered 429 at `now`: a learnt spread was too small, or another client shares the token. */
  rateLimited(now: number, windowMs: number): void {
    this.#learned?.path.rateLimited(now, windowMs);
  }

  #record(roundTripMs: number): void {
    if (this.#samples.length < SAMPLES) this.#samples.push(roundTripMs);
    else this.#samples[this.#next] = roundTripMs;
    this.#next = (this.#next + 1) % SAMPLES;
    this.#fastest = undefined;
  }

  #learntMin(): number {
    if (this.#samples.length < MIN_SAMPLES) return 0;
    this.#fastest ??= Math.min(...this.#samples);
    return this.#fastest / 2;
  }
}
