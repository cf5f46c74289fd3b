/**
 * `npm test`'s checks besides vitest: types, lint, API docs, generated code, formatting. tsc,
 * eslint and prettier keep caches under node_modules/.cache/astro-test (a fresh clone has none and
 * checks everything; a warm run checks only what changed). Longest first, so that the short ones
 * fill in beside the long ones.
 */
import type { Step, StepResult } from "./run-steps.js";

const CACHE = "node_modules/.cache/astro-test";

export const CHECKS: readonly Step[] = [
  {
    name: "eslint",
    command: `npm run --silent lint -- --cache --cache-strategy content --cache-location ${CACHE}/eslint`,
  },
  // `npm run typecheck`: one program for src/, test/, scripts/, examples/ and bench/ (the root
  // tsconfig includes them all), so that no source is parsed and checked twice.
  {
    name: "tsc",
    command: `tsc -p tsconfig.json --incremental --tsBuildInfoFile ${CACHE}/tsc.tsbuildinfo`,
  },
  // tsc above type-checks the same sources, so TypeDoc skips its own pass over the whole program
  // (half its time); it still fails on a broken {@link} or an undocumented export.
  { name: "typedoc", command: "npm run --silent docs:check -- --skipErrorChecking" },
  { name: "generate", command: "npm run --silent generate -- --check" },
  {
    name: "prettier",
    command: `npm run --silent format:check -- --cache --cache-strategy content --cache-location ${CACHE}/prettier`,
  },
];

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** One line per check with its duration, then the output of each failed one; true when all passed. */
export function reportChecks(results: readonly StepResult[], elapsedMs: number): boolean {
  for (const result of results) {
    console.log(
      `${result.code === 0 ? "ok  " : "FAIL"} ${result.name.padEnd(10)} ${seconds(result.ms).padStart(7)}`,
    );
  }
  const failed = results.filter((result) => result.code !== 0);
  for (const result of failed) {
    console.error(
      `\n──── ${result.name} failed (exit ${result.code}): ${result.command}\n${result.output.trimEnd()}`,
    );
  }
  if (failed.length === 0) console.log(`checks passed in ${seconds(elapsedMs)}`);
  else
    console.error(
      `\n${failed.length} of ${results.length} checks failed: ${failed.map((r) => r.name).join(", ")}`,
    );
  return failed.length === 0;
}
