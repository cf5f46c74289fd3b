import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Each benchmark section is a script that can run alone (`npx tsx bench/overhead.ts` prints its
 * result) or under `bench/run.ts`, which starts it in a fresh process with `--json` and reads the
 * line that starts with RESULT_PREFIX.
 */
export const RESULT_PREFIX = "BENCH_RESULT ";

export async function runSection<T>(name: string, measure: () => Promise<T>): Promise<void> {
  const result = await measure();
  if (process.argv.includes("--json")) console.log(RESULT_PREFIX + JSON.stringify(result));
  else console.log(`${name}:`, JSON.stringify(result, null, 2));
}

/** Whether this module is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && fileURLToPath(moduleUrl) === resolve(entry);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
