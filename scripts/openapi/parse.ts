import { load } from "js-yaml";
import { parseDocument } from "yaml";
import { InvalidSpecError } from "../shared/errors.js";
import type { OpenApiDocument } from "./document.js";
import { escapePointerSegment } from "./json-pointer.js";

/**
 * An alias (`*name`) anywhere in the text: those documents take the careful path. A name may
 * hold any character but a space or a flow indicator (`*.a`, `*é`): js-yaml expands aliases
 * without a bound, so one it reads would let a "billion laughs" through.
 */
const ALIAS = /(^|[\s[{,:-])\*[^\s,[\]{}]/m;

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
  const cycle = cycleIn(value);
  if (cycle !== undefined)
    throw new InvalidSpecError(file, [
      {
        pointer: cycle,
        problem: "an alias here names a node that holds it: the document would contain itself",
      },
    ]);
  return value as OpenApiDocument;
}

/**
 * The JSON pointer of the first node that contains itself, or `undefined`. An alias inside its
 * own anchor's node (`X: &x {properties: {self: *x}}`) parses to a cyclic object, which every
 * reader downstream (the validator, the generators, the diff) would recurse into forever. Walked
 * with an explicit stack, so a deep document cannot exhaust the call stack here.
 */
function cycleIn(root: object): string | undefined {
  const open = new Set<object>();
  const done = new Set<object>();
  const stack: { node: object; pointer: string; entered: boolean }[] = [
    { node: root, pointer: "", entered: false },
  ];
  while (stack.length > 0) {
    const top = stack.at(-1)!;
    if (top.entered) {
      open.delete(top.node);
      done.add(top.node);
      stack.pop();
      continue;
    }
    top.entered = true;
    open.add(top.node);
    for (const [key, child] of Object.entries(top.node)) {
      if (child === null || typeof child !== "object" || done.has(child as object)) continue;
      const pointer = `${top.pointer}/${escapePointerSegment(key)}`;
      if (open.has(child as object)) return pointer;
      stack.push({ node: child as object, pointer, entered: false });
    }
  }
  return undefined;
}
