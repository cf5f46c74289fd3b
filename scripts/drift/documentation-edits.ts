import { isDeepStrictEqual } from "node:util";

const ANNOTATIONS = new Set([
  "description",
  "summary",
  "title",
  "example",
  "examples",
  "externalDocs",
  "tags",
]);

/** Top-level members that only document the API. */
const DOCUMENT_ANNOTATIONS = new Set(["info", "tags", "externalDocs"]);

/**
 * Members whose keys are names chosen by the API (a property called `description`, a path, a
 * status code), never keywords.
 */
const NAME_MAPS = new Set([
  "properties",
  "paths",
  "schemas",
  "responses",
  "content",
  "securitySchemes",
  "headers",
  "parameters",
  "requestBodies",
  "links",
  "callbacks",
  "variables",
  "mapping",
]);

/**
 * Keywords that document a schema or an operation without changing what it accepts or returns:
 * descriptions, summaries, titles, examples, tags and `x-` extensions (such as `x-permission`,
 * which the SDK does not read).
 */
export function isAnnotation(key: string): boolean {
  return ANNOTATIONS.has(key) || key.startsWith("x-");
}

/** Parameters are matched by `in` and `name`, tags by `name`, anything else by position. */
function keyed(items: unknown[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  items.forEach((item, i) => {
    const named = item as { name?: unknown; in?: unknown } | null;
    const key =
      named !== null && typeof named === "object" && typeof named.name === "string"
        ? `${typeof named.in === "string" ? named.in : ""}:${named.name}`
        : String(i);
    out.set(out.has(key) ? `${key}#${i}` : key, item);
  });
  return out;
}

function count(before: unknown, after: unknown, namesOnly: boolean): number {
  if (Array.isArray(before) && Array.isArray(after)) {
    const was = keyed(before);
    const now = keyed(after);
    let edits = 0;
    for (const [key, item] of was) if (now.has(key)) edits += count(item, now.get(key), false);
    return edits;
  }
  if (!isObject(before) || !isObject(after)) return 0;
  let edits = 0;
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[key];
    const now = after[key];
    if (!namesOnly && isAnnotation(key)) {
      if (!isDeepStrictEqual(was, now)) edits += 1;
    } else if (was !== undefined && now !== undefined) {
      edits += count(was, now, !namesOnly && NAME_MAPS.has(key));
    }
  }
  return edits;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Counts the documentation-only edits between two revisions: each description, summary, title,
 * example, tag list or `x-` extension that differs where both revisions have the thing it
 * documents. Text inside an added or removed operation or schema is part of that change, not an
 * edit. These are not API changes; they are reported as a count.
 */
export function countDocumentationEdits(before: object, after: object): number {
  let edits = 0;
  const was = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
    if (DOCUMENT_ANNOTATIONS.has(key)) {
      if (!isDeepStrictEqual(was[key], now[key])) edits += count(was[key], now[key], false) || 1;
    } else if (was[key] !== undefined && now[key] !== undefined) {
      edits += count(was[key], now[key], NAME_MAPS.has(key));
    }
  }
  return edits;
}
