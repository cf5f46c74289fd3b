/**
 * Vitest global setup: prints the lines tests recorded for the run's summary (run-summary.ts), and
 * says once per run, at the end, that the tests over Astronomer's real
 * revisions were skipped and how to run them. With `ASTRO_OPENAPI_REQUIRED=1` (CI jobs that
 * provide the corpus) a missing corpus fails the run instead, so nothing is skipped silently.
 */
import { missingCorpusMessage, NO_CORPUS } from "./revisions.js";
import { clearSummary, readSummary } from "./run-summary.js";

export default function setup(): () => void {
  if (NO_CORPUS && process.env.ASTRO_OPENAPI_REQUIRED === "1") throw new Error(missingCorpusMessage());
  clearSummary();
  return () => {
    const summary = readSummary();
    if (summary) console.log(`\n${summary.trimEnd()}`);
    if (NO_CORPUS) console.log(`\n${missingCorpusMessage()}\n`);
  };
}
