/** RFC 6901: a key as one segment of a JSON pointer (`a/b` → `a~1b`). */
export function escapePointerSegment(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** RFC 6901: one segment of a JSON pointer as the key it names (`a~1b` → `a/b`). */
export function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}
