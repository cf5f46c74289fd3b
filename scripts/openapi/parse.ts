import { parseDocument } from "yaml";
import { InvalidSpecError } from "../shared/errors.js";
import type { OpenApiDocument } from "./document.js";

/**
 * Parses a YAML (or JSON, a subset of YAML) document. Syntax errors are reported with line and
 * column; a document that parses to something other than an object is rejected here too, so the
 * validator downstream always receives an object.
 */
export function parseSpec(text: string, file: string): OpenApiDocument {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InvalidSpecError(
      file,
      doc.errors.map((error) => ({
        pointer: "",
        problem: `YAML ${error.code} at line ${error.linePos?.[0].line ?? "?"}, column ${error.linePos?.[0].col ?? "?"}: ${error.message.split("\n")[0]}`,
      })),
    );
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidSpecError(file, [
      { pointer: "", problem: "the document is not an object (is the file empty?)" },
    ]);
  }
  return value as OpenApiDocument;
}
