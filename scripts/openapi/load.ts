import { checkRefs } from "./check-refs.js";
import type { OpenApiDocument } from "./document.js";
import { parseSpec } from "./parse.js";
import { validateSpec } from "./validate.js";

/**
 * Parses and validates one document: every problem found is an `InvalidSpecError` before
 * anything reads it. Light on purpose (no openapi-typescript, no prettier), so commands that only
 * compare documents start quickly.
 */
export async function loadSpec(text: string, source: string): Promise<OpenApiDocument> {
  const doc = parseSpec(text, source);
  await validateSpec(doc, source);
  checkRefs(doc, source);
  return doc;
}
