import { InvalidSpecError } from "../shared/errors.js";
import type { OpenApiDocument } from "./document.js";
import { escapePointerSegment, nodeAt } from "./json-pointer.js";

/** Whether a reference names a node of the document below its root (`#` alone is the whole document). */
function names(ref: string): boolean {
  return ref.startsWith("#") && ref !== "#";
}

/** A node that is nothing but a reference: `{ $ref: "#/…" }` (siblings are ignored, as OpenAPI 3.0 says). */
function refOf(node: unknown): string | undefined {
  const ref = (node as { $ref?: unknown } | null | undefined)?.$ref;
  return typeof ref === "string" && names(ref) ? ref : undefined;
}

/** What is wrong with one local reference: it names nothing, or a chain of references leads back to it. */
function problemOf(doc: OpenApiDocument, ref: string): string | undefined {
  const chain = new Set<string>();
  for (let next: string | undefined = ref; next !== undefined;) {
    if (chain.has(next))
      return `$ref ${ref} goes round a cycle of references: ${[...chain, next].join(" → ")}`;
    chain.add(next);
    const node = nodeAt(doc, next);
    if (node === undefined) return `$ref ${next} names nothing in the document`;
    next = refOf(node);
  }
  return undefined;
}

/**
 * Every `$ref` of a document names a node it holds, by its own keys, and reaches one that is not
 * itself a reference. The OpenAPI validator resolves a reference through inherited properties
 * too, so `#/components/responses/constructor` passed it; openapi-typescript then wrote a type
 * naming a component that does not exist, and the manifest read `Object` as the response (no
 * body). Two schemas that are each a `$ref` to the other passed it too, and failed later inside
 * openapi-typescript with a bare `Error`. External references are the validator's to refuse, and
 * it does (nothing is read or fetched).
 */
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
      const problem =
        key === "$ref" && typeof value === "string" && names(value) ? problemOf(doc, value) : undefined;
      if (problem !== undefined) problems.push({ pointer: here, problem });
      if (value !== null && typeof value === "object") stack.push({ node: value as object, pointer: here });
    }
  }
  if (problems.length > 0) throw new InvalidSpecError(file, problems);
}
