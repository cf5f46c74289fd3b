import { deref } from "../openapi/deref.js";
import type { OpenApiDocument } from "../openapi/document.js";
import { operationsOf, parametersOf } from "../openapi/operations.js";

/** Which side of an exchange a schema describes: what the caller sends, or what the server answers. */
export type Direction = "request" | "response";

/** How one component schema is reached from the operations. */
export interface SchemaUse {
  directions: Set<Direction>;
  /** `METHOD /path` of each operation that reaches the schema, directly or through other schemas. */
  operations: Set<string>;
}

export const SCHEMA_REF_PREFIX = "#/components/schemas/";

/**
 * Adds to `found` every component schema reachable from `node`. References to other kinds of
 * components (parameters, responses, request bodies) are walked through too, since a schema behind
 * them is as much in use as one written inline. Each reference is followed once, so recursive
 * schemas terminate.
 */
function collectSchemas(doc: OpenApiDocument, node: unknown, found: Set<string>, walked: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectSchemas(doc, item, found, walked);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === "string") {
    if (walked.has(ref) || !ref.startsWith("#/")) return;
    walked.add(ref);
    if (ref.startsWith(SCHEMA_REF_PREFIX)) found.add(ref.slice(SCHEMA_REF_PREFIX.length));
    let target: unknown;
    try {
      target = deref(doc, node as { $ref: string });
    } catch {
      // A dangling reference uses nothing; the validator or the generator reports it.
      return;
    }
    collectSchemas(doc, target, found, walked);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === "example" || key === "examples") continue;
    collectSchemas(doc, value, found, walked);
  }
}

/**
 * For each component schema that any operation reaches: from which side (request, response or
 * both) and through which operations. A schema missing from the result is used by no operation.
 */
export function schemaUsage(doc: OpenApiDocument): Map<string, SchemaUse> {
  const usage = new Map<string, SchemaUse>();
  const record = (names: Set<string>, direction: Direction, key: string): void => {
    for (const name of names) {
      const use = usage.get(name) ?? { directions: new Set<Direction>(), operations: new Set<string>() };
      use.directions.add(direction);
      use.operations.add(key);
      usage.set(name, use);
    }
  };
  for (const entry of operationsOf(doc).values()) {
    const request = new Set<string>();
    collectSchemas(
      doc,
      [...parametersOf(doc, entry).values(), entry.operation.requestBody],
      request,
      new Set(),
    );
    const response = new Set<string>();
    collectSchemas(doc, entry.operation.responses, response, new Set());
    record(request, "request", entry.key);
    record(response, "response", entry.key);
  }
  return usage;
}

/** Usage across two revisions: a schema's use in either one counts. */
export function mergeUsage(a: Map<string, SchemaUse>, b: Map<string, SchemaUse>): Map<string, SchemaUse> {
  const out = new Map<string, SchemaUse>();
  for (const source of [a, b]) {
    for (const [name, use] of source) {
      const merged = out.get(name) ?? { directions: new Set<Direction>(), operations: new Set<string>() };
      for (const d of use.directions) merged.directions.add(d);
      for (const o of use.operations) merged.operations.add(o);
      out.set(name, merged);
    }
  }
  return out;
}
