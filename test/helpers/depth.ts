/**
 * How hard the property tests try: `ASTRO_TEST_DEPTH` (a whole number ≥ 1, default 1) multiplies
 * every property's number of runs. The default is each property's own strength; the scheduled
 * deep run (.github/workflows/deep-tests.yml) raises it.
 */
export const TEST_DEPTH = readDepth(process.env.ASTRO_TEST_DEPTH);

function readDepth(value: string | undefined): number {
  if (value === undefined || value === "") return 1;
  const depth = Number(value);
  if (!Number.isInteger(depth) || depth < 1) {
    throw new Error(`ASTRO_TEST_DEPTH=${value}: expected a whole number of at least 1`);
  }
  return depth;
}

/** A property's number of runs at this depth: `fc.assert(property, { numRuns: runs(300) })`. */
export function runs(numRuns: number): number {
  return numRuns * TEST_DEPTH;
}
