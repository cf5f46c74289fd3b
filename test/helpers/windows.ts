/**
 * The largest number of timestamps (ms) that fall in any half-open window `[t, t + windowMs)`:
 * the measure of the rate-limit invariant "no more than N starts in any 1,000 ms".
 */
export function maxInWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first++;
    max = Math.max(max, last - first + 1);
  }
  return max;
}

/**
 * A server's limit enforced at arrival, as the far-API bench server and Astro's gateway apply it:
 * an arrival is accepted while fewer than `limit` accepted arrivals fall in the `windowMs` before
 * it, and refused (answered 429) otherwise; a refused arrival does not count. Arrivals are given
 * in time order.
 */
export class ArrivalLimit {
  readonly #accepted: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs = 1000,
  ) {}

  /** Whether the arrival at `at` (ms, not earlier than the previous one) is accepted. */
  admit(at: number): boolean {
    while (this.#accepted.length > 0 && at - this.#accepted[0]! >= this.windowMs) this.#accepted.shift();
    if (this.#accepted.length >= this.limit) return false;
    this.#accepted.push(at);
    return true;
  }
}

/**
 * How many of `times` (ms) a server enforcing `limit` per `windowMs` at arrival would refuse: what
 * a stream over the limit would cost in 429s (each retried) against the real API.
 */
export function refusedAtArrival(times: readonly number[], limit: number, windowMs = 1000): number {
  const gate = new ArrivalLimit(limit, windowMs);
  return [...times].sort((a, b) => a - b).filter((at) => !gate.admit(at)).length;
}
