/** RFC 6901: a key as one segment of a JSON pointer (`a/b` → `a~1b`). */
export function escapePointerSegment(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** RFC 6901: one segment of a JSON pointer as the key it names (`a~1b` → `a/b`). */
export function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/**
 * The node a local reference (`#/a/b`) names, or `undefined`. Only a node's own keys count:
 * `#/components/responses/constructor` names nothing, not `Object`, and `#/__proto__` names
 * nothing, not `Object.prototype`.
 */
export function nodeAt(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = unescapePointerSegment(raw);
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
