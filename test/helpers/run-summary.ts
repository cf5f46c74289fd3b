/**
 * Lines a test wants printed once at the end of the run (vitest hides what passing tests print).
 * A test appends with `summarise`; the global setup (corpus-setup.ts) clears the file when the
 * run starts and prints it when the run ends. The file is per checkout, under node_modules/.cache.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const FILE = join(
  fileURLToPath(new URL("../..", import.meta.url)),
  "node_modules/.cache/astro-test/run-summary.txt",
);

/** Records `line` for the end-of-run summary. */
export function summarise(line: string): void {
  mkdirSync(dirname(FILE), { recursive: true });
  appendFileSync(FILE, `${line}\n`);
}

/** Forgets the previous run's lines. */
export function clearSummary(): void {
  rmSync(FILE, { force: true });
}

/** The lines recorded during this run ("" when none). */
export function readSummary(): string {
  try {
    return readFileSync(FILE, "utf8");
  } catch {
    return "";
  }
}
