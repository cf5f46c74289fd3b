import type { DocumentName } from "../operations/manifest.js";
import { SpecFileError, sha256, type LocatedDocument } from "./spec-files.js";

/**
 * The facts-only documents (`generated/<api>.facts.json`, shipped as `dist/openapi/<api>.facts.json`):
 * each pinned document without its prose, which is what the mock serves. Written by the generator
 * (scripts/generate/facts-document.ts); recognised and checked here.
 */

/** Where a facts document came from, recorded in it (JSON has no comments). */
export interface FactsOrigin {
  api: DocumentName;
  revision: string;
  /** The sha256 of the pinned document these facts were derived from. */
  sha256: string;
}

/** The key under which a facts document records its origin and the generated-file notice. */
export const FACTS_KEY = "x-astro-api-client-facts";

/** File name of a document's facts, in `generated/` and in the package's `dist/openapi/`. */
export function factsFileName(api: DocumentName): string {
  return `${api}.facts.json`;
}

/** The origin a document records when it is a facts document, else `undefined` (e.g. YAML). */
export function factsOrigin(text: string): FactsOrigin | undefined {
  if (!text.trimStart().startsWith("{")) return undefined;
  let recorded: unknown;
  try {
    recorded = (JSON.parse(text) as Record<string, unknown>)[FACTS_KEY];
  } catch {
    return undefined;
  }
  if (recorded === null || typeof recorded !== "object") return undefined;
  const { api, revision, sha256: hash } = recorded as Record<string, unknown>;
  if (typeof api !== "string" || typeof revision !== "string" || typeof hash !== "string") return undefined;
  return { api: api as DocumentName, revision, sha256: hash };
}

/**
 * A facts document checked against the pin: it must say it was derived from the document with
 * the pinned sha256 (a facts file of another revision is refused, as a raw copy with another hash is).
 */
export function verifiedFacts(
  pin: { api: DocumentName; sha256: string },
  file: string,
  text: string,
): LocatedDocument | undefined {
  const origin = factsOrigin(text);
  if (origin === undefined) return undefined;
  if (origin.api !== pin.api || origin.sha256 !== pin.sha256)
    throw new SpecFileError(
      `${pin.api}: ${file} holds the facts of ${origin.api} sha256 ${origin.sha256}, but the pin is ${pin.sha256}`,
    );
  return { source: file, file, text, sha256: sha256(text) };
}
