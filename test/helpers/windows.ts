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
