import { InvalidSpecError } from "../shared/errors.js";
import type { OpenApiDocument } from "./document.js";
import { escapePointerSegment, nodeAt } from "./json-pointer.js";

/**
 * Every `$ref` of a document names a node it holds, by its own keys. The OpenAPI validator
 * resolves a reference through inherited properties too, so `#/components/responses/constructor`
 * passed it; openapi-typescript then wrote a type naming a component that does not exist, and the
 * manifest read `Object` as the response (no body). External references are the validator's to
 * refuse, and it does (nothing is read or fetched).
 */
/** Whether a reference names a node of the document below its root (`#` alone is the whole document). */
function names(ref: string): boolean {
  return ref.startsWith("#") && ref !== "#";
}

export function checkRefs(doc: OpenApiDocument, file: string): void {
  const problems: { pointer: string; problem: string }[] = [];
  const seen = new Set<object>();
  const stack: { node: object; pointer: string }[] = [{ node: doc, pointer: "" }];
  while (stack.length > 0) {
    const { node, pointer } = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const [key, value] of Object.entries(node)) {
      const here = `${pointer}/${escapePointerSegment(key)}`;
      if (key === "$ref" && typeof value === "string" && names(value) && nodeAt(doc, value) === undefined)
        problems.push({ pointer: here, problem: `$ref ${value} names nothing in the document` });
      if (value !== null && typeof value === "object") stack.push({ node: value as object, pointer: here });
    }
  }
  if (problems.length > 0) throw new InvalidSpecError(file, problems);
}
