/**
 * Vitest global setup: says once per run, at the end, that the tests over Astronomer's real
 * revisions were skipped and how to run them. With `ASTRO_OPENAPI_REQUIRED=1` (CI jobs that
 * provide the corpus) a missing corpus fails the run instead, so nothing is skipped silently.
 */
import { missingCorpusMessage, NO_CORPUS } from "./revisions.js";

export default function setup(): () => void {
  if (NO_CORPUS && process.env.ASTRO_OPENAPI_REQUIRED === "1") throw new Error(missingCorpusMessage());
  return () => {
    if (NO_CORPUS) console.log(`\n${missingCorpusMessage()}\n`);
  };
}
