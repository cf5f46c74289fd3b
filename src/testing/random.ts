/**
 * Seeded randomness and ids, so that a test's faults and the ids it sees are the same on every
 * run: nothing in the fake calls `Math.random`.
 */

/** A pseudo-random number generator (mulberry32): `next()` is uniform in [0, 1). */
export interface SeededRandom {
  next(): number;
}

/** Turns any string or number into the 32-bit state mulberry32 starts from. */
function seedState(seed: string | number): number {
  let h = 2166136261;
  for (const ch of String(seed)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

export function seededRandom(seed: string | number): SeededRandom {
  let state = seedState(seed);
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/**
 * Ids shaped like Astro's (25 lower-case alphanumerics starting with `cl`), unique within one
 * fake and predictable: `clfake` + a counter, padded.
 */
export function idSequence(prefix = "clfake"): () => string {
  let n = 0;
  return () => {
    n += 1;
    const tail = n.toString(36);
    return prefix + "0".repeat(Math.max(0, 25 - prefix.length - tail.length)) + tail;
  };
}
