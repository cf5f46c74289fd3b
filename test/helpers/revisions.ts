import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { revisionDirs } from "../../src/mock/spec-files.js";
import type { DocumentName } from "../../src/operations/manifest.js";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Where the corpus of Astronomer's real revisions is looked for, in the generator's order:
 * `$ASTRO_OPENAPI_DIR`, then `../shared/astro-openapi` beside the repository (read-only; never
 * copied into it). The documents are Astronomer's, so a clone of the public repository has none.
 */
const CANDIDATES = revisionDirs(ROOT);

/** The first candidate folder that holds a corpus (an `index.json`), or `undefined`. */
const CORPUS_DIR = CANDIDATES.find((dir) => existsSync(join(dir, "index.json")));

/** The folder of real revisions (when there is none, where it was looked for first, for messages). */
export const REVISIONS_DIR = CORPUS_DIR ?? CANDIDATES[0]!;

/**
 * Whether the tests over real revisions can run. Those that cannot are skipped with
 * `describe.skipIf(NO_CORPUS)`; test/helpers/corpus-setup.ts prints one line saying so.
 */
export const NO_CORPUS = CORPUS_DIR === undefined;

/** What was missing and how to provide it: the line printed once per run when `NO_CORPUS`. */
export function missingCorpusMessage(): string {
  return (
    `Skipped the tests over Astronomer's real API revisions: no folder of revisions (index.json) at ` +
    `${CANDIDATES.join(" or ")}. To run them, clone the revisions beside this repository as ` +
    `../shared/astro-openapi, or set ASTRO_OPENAPI_DIR to a folder laid out like it.`
  );
}

export interface Revision {
  file: string;
  published: string;
  sha256: string;
}

interface Index {
  revisions: Record<DocumentName, Revision[]>;
}

function corpus(): string {
  if (CORPUS_DIR === undefined) throw new Error(missingCorpusMessage());
  return CORPUS_DIR;
}

/** Every revision of one API, oldest first, as `index.json` lists them. */
export function revisions(api: DocumentName): Revision[] {
  const index = JSON.parse(readFileSync(join(corpus(), "index.json"), "utf8")) as Index;
  return index.revisions[api];
}

export function revisionText(revision: Revision): string {
  return readFileSync(join(corpus(), revision.file), "utf8");
}

/** The revision whose file name (without `.yaml`) is `name`, e.g. `2023-09-26`. */
export function revisionNamed(api: DocumentName, name: string): Revision {
  const found = revisions(api).find((r) => r.file.endsWith(`/${name}.yaml`));
  if (!found) throw new Error(`no ${api} revision ${name} in ${REVISIONS_DIR}`);
  return found;
}

/**
 * The facts-only document derived from the pinned revision of `api` (`generated/<api>.facts.json`,
 * JSON): everything but the prose, in every clone. Tests whose point is the pinned document's
 * structure read it, so they run without the corpus.
 */
export function pinnedFacts(api: DocumentName): string {
  return readFileSync(join(ROOT, "generated", `${api}.facts.json`), "utf8");
}
