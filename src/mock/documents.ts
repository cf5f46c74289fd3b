import { AstroConfigError } from "../errors/error-classes.js";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { specs } from "../../generated/specs.js";
import type { DocumentName } from "../operations/manifest.js";
import { factsFileName, verifiedFacts } from "./facts.js";
import {
  cacheFile,
  locatePinnedDocument,
  readIfExists,
  revisionDirs,
  type LocatedDocument,
} from "./spec-files.js";

/** Where the mock looks for the pinned documents, and with what (see `AstroMockOptions`). */
export interface DocumentOptions {
  /** An explicit file per API, looked at first. */
  documents?: Partial<Record<DocumentName, string>>;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

/** The root of this package: the nearest folder above this module whose package.json names it. */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string };
      if (name === "astro-api-client") return dir;
    }
    if (dirname(dir) === dir) return resolve(from, "..", "..");
  }
}

/**
 * The facts-only document of an API shipped with this code: `dist/openapi/` in the package,
 * `generated/` in the repository.
 */
function factsFiles(api: DocumentName, root: string = packageRoot()): string[] {
  return [join(root, "dist", "openapi", factsFileName(api)), join(root, "generated", factsFileName(api))];
}

/**
 * Finds and verifies the document of one API, in the order documented on
 * `AstroMockOptions.documents`: an explicit file (the pinned document, or the facts of it), the
 * facts-only document shipped with this code, then the pinned document itself. `root` is the
 * package root all of those are relative to.
 */
export async function locateDocument(
  api: DocumentName,
  options: DocumentOptions = {},
  root: string = packageRoot(),
): Promise<LocatedDocument> {
  const spec = specs[api];
  const pin = { api, file: spec.file, sha256: spec.sha256, upstream: spec.upstream };
  const explicit = options.documents?.[api];
  if (explicit !== undefined && !existsSync(explicit))
    throw new AstroConfigError(`startAstroMock: documents.${api} is ${explicit}, which does not exist`);
  for (const file of explicit ? [resolve(explicit)] : factsFiles(api, root)) {
    const text = await readIfExists(file);
    const facts = text === undefined ? undefined : verifiedFacts(pin, file, text);
    if (facts) return facts;
  }
  const candidates = explicit
    ? [resolve(explicit)]
    : revisionDirs(root, options.env).map((dir) => join(dir, spec.file));
  return locatePinnedDocument(pin, {
    candidates,
    cacheFile: cacheFile(root, api, spec.sha256),
    fetch: options.fetch,
  });
}
