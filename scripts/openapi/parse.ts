import { load } from "js-yaml";
import { parseDocument } from "yaml";
import { InvalidSpecError } from "../shared/errors.js";
import type { OpenApiDocument } from "./document.js";

/** An alias (`*name`) anywhere in the text: those documents take the careful path. */
const ALIAS = /(^|[\s[{,:-])\*[A-Za-z0-9_-]/m;

/**
 * Parses a YAML (or JSON, a subset of YAML) document. Syntax errors are reported with line and
 * column; a document that parses to something other than an object is rejected here too, so the
 * validator downstream always receives an object.
 *
 * A document without aliases is read by js-yaml (YAML 1.2 core schema, duplicate keys refused),
 * which takes a fifth of the time; anything it refuses, and any document with aliases (whose
 * expansion must be bounded), is read by `yaml`, whose messages name the line and column.
 */
export function parseSpec(text: string, file: string): OpenApiDocument {
  if (!ALIAS.test(text)) {
    try {
      const value: unknown = load(text);
      if (value !== null && typeof value === "object" && !Array.isArray(value))
        return value as OpenApiDocument;
    } catch {
      // Reported below, with `yaml`'s wording.
    }
  }
  return parseCarefully(text, file);
}

function parseCarefully(text: string, file: string): OpenApiDocument {
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
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // `yaml` refuses to expand aliases past the bound (a "billion laughs" document).
    throw new InvalidSpecError(file, [{ pointer: "", problem: (error as Error).message }]);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidSpecError(file, [
      { pointer: "", problem: "the document is not an object (is the file empty?)" },
    ]);
  }
  return value as OpenApiDocument;
}
