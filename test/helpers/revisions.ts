import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DocumentName } from "../../src/operations/manifest.js";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The folder of real revisions beside the repository (read-only; never copied into it). */
export const REVISIONS_DIR = process.env.ASTRO_OPENAPI_DIR ?? join(ROOT, "..", "shared", "astro-openapi");

export interface Revision {
  file: string;
  published: string;
  sha256: string;
}

interface Index {
  revisions: Record<DocumentName, Revision[]>;
}

/** Every revision of one API, oldest first, as `index.json` lists them. */
export function revisions(api: DocumentName): Revision[] {
  const index = JSON.parse(readFileSync(join(REVISIONS_DIR, "index.json"), "utf8")) as Index;
  return index.revisions[api];
}

export function revisionText(revision: Revision): string {
  return readFileSync(join(REVISIONS_DIR, revision.file), "utf8");
}

/** The revision whose file name (without `.yaml`) is `name`, e.g. `2023-09-26`. */
export function revisionNamed(api: DocumentName, name: string): Revision {
  const found = revisions(api).find((r) => r.file.endsWith(`/${name}.yaml`));
  if (!found) throw new Error(`no ${api} revision ${name} in ${REVISIONS_DIR}`);
  return found;
}
