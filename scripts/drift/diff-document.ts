// A little over 250 lines: the comparison of two documents operation by operation (parameters,
// bodies, responses) and schema by schema, one walk; security and servers live in
// compare-security.ts, schemas in compare-schemas.ts.
import type { ApiChange } from "./api-change.js";
import { Collector } from "./change-collector.js";
import { compareSecurity, compareSecuritySchemes, compareServers } from "./compare-security.js";
import { deref } from "../openapi/deref.js";
import type { MediaType, OpenApiDocument, OperationObject, ResponseObject } from "../openapi/document.js";
import { escapePointerSegment } from "../openapi/json-pointer.js";
import {
  compareOperationKeys,
  operationsOf,
  parametersOf,
  type OperationEntry,
} from "../openapi/operations.js";
import { compareSchemas } from "./compare-schemas.js";
import { countDocumentationEdits } from "./documentation-edits.js";
import {
  mergeUsage,
  schemaUsage,
  SCHEMA_REF_PREFIX,
  type Direction,
  type SchemaUse,
} from "./schema-usage.js";

/** Everything that differs between two revisions of one document. */
export interface SpecDiff {
  breaking: boolean;
  /** API changes: operations first (by path, then method), then component schemas, then the document. */
  changes: ApiChange[];
  /** Description, summary, title, example, tag and `x-` edits: not API changes, only counted. */
  documentationEdits: number;
  /** `METHOD /path` → operationId, for every operation of either revision. */
  operationIds: Record<string, string>;
}

const REQUEST: ReadonlySet<Direction> = new Set(["request"]);
const RESPONSE: ReadonlySet<Direction> = new Set(["response"]);
const BOTH: ReadonlySet<Direction> = new Set(["request", "response"]);

function describeOperation(entry: OperationEntry): string {
  return entry.operation.operationId ? `operation ${entry.operation.operationId}` : "an operation";
}

function compareParameters(c: Collector, was: OperationEntry, now: OperationEntry): void {
  const before = parametersOf(c.before, was);
  const after = parametersOf(c.after, now);
  for (const [key, parameter] of before) {
    const label = `${parameter.in} parameter \`${parameter.name}\``;
    const next = after.get(key);
    if (!next) {
      // Callers passing it stop compiling against the regenerated types.
      c.add("parameter-removed", true, now.key, `Removed ${label}.`);
      continue;
    }
    if (!parameter.required && next.required)
      c.add("parameter-required", true, now.key, `The ${label} is now required.`);
    if (parameter.required && !next.required)
      c.add("parameter-optional", false, now.key, `The ${label} is no longer required.`);
    if (parameter.schema !== undefined && next.schema !== undefined)
      compareSchemas(c.inline(now.key, label, REQUEST), parameter.schema, next.schema);
  }
  for (const [key, parameter] of after) {
    if (before.has(key)) continue;
    const required = parameter.required === true;
    c.add(
      "parameter-added",
      required,
      now.key,
      `Added ${required ? "required" : "optional"} ${parameter.in} parameter \`${parameter.name}\`.`,
    );
  }
}

/**
 * Compares the bodies of one request or response. When each side has exactly one media type and
 * they differ, the two are still compared by schema, so `*∕*` becoming `application/json` reports
 * the media type change without hiding what happened to the schema.
 */
function compareContent(
  c: Collector,
  operation: string,
  root: string,
  directions: ReadonlySet<Direction>,
  before: Record<string, MediaType> | undefined,
  after: Record<string, MediaType> | undefined,
): void {
  const was = before ?? {};
  const now = after ?? {};
  const removed = Object.keys(was).filter((type) => !(type in now));
  const added = Object.keys(now).filter((type) => !(type in was));
  for (const type of removed)
    c.add("media-type-removed", true, operation, `The ${root} no longer has a \`${type}\` form.`);
  for (const type of added)
    c.add("media-type-added", false, operation, `The ${root} now has a \`${type}\` form.`);
  const pairs: [MediaType, MediaType][] = Object.keys(was)
    .filter((type) => type in now)
    .map((type) => [was[type]!, now[type]!]);
  if (removed.length === 1 && added.length === 1) pairs.push([was[removed[0]!]!, now[added[0]!]!]);
  for (const [a, b] of pairs) {
    if (a.schema !== undefined && b.schema !== undefined)
      compareSchemas(c.inline(operation, root, directions), a.schema, b.schema);
  }
}

function compareRequestBody(c: Collector, key: string, was: OperationObject, now: OperationObject): void {
  const before = was.requestBody ? deref(c.before, was.requestBody) : undefined;
  const after = now.requestBody ? deref(c.after, now.requestBody) : undefined;
  if (!before && !after) return;
  if (!after) {
    c.add("request-body-removed", true, key, "Removed the request body.");
    return;
  }
  if (!before) {
    const required = after.required === true;
    c.add(
      "request-body-added",
      required,
      key,
      `Added ${required ? "a required" : "an optional"} request body.`,
    );
    return;
  }
  if (!before.required && after.required)
    c.add("request-body-required", true, key, "The request body is now required.");
  if (before.required && !after.required)
    c.add("request-body-optional", false, key, "The request body is no longer required.");
  compareContent(c, key, "request body", REQUEST, before.content, after.content);
}

/**
 * Error statuses are informational here: the SDK surfaces an undeclared error status like a
 * declared one. A success status that disappears breaks callers reading its body.
 */
function compareResponses(c: Collector, key: string, was: OperationObject, now: OperationObject): void {
  const before = was.responses ?? {};
  const after = now.responses ?? {};
  for (const status of Object.keys(before)) {
    if (status in after) {
      const a = deref<ResponseObject>(c.before, before[status]!);
      const b = deref<ResponseObject>(c.after, after[status]!);
      compareContent(c, key, `response ${status} body`, RESPONSE, a.content, b.content);
    } else {
      c.add("response-removed", /^2/.test(status), key, `Removed the ${status} response.`);
    }
  }
  for (const status of Object.keys(after)) {
    if (!(status in before)) c.add("response-added", false, key, `Added a ${status} response.`);
  }
}

function compareOperation(
  c: Collector,
  was: OperationEntry,
  now: OperationEntry,
  renamed: ReadonlyMap<string, string>,
): void {
  const key = now.key;
  const beforeId = was.operation.operationId;
  const afterId = now.operation.operationId;
  if (beforeId !== afterId) {
    // The SDK's manifest and generated operation types are keyed by operationId.
    c.add(
      "operation-id-changed",
      true,
      key,
      `The operationId changed from ${beforeId ?? "none"} to ${afterId ?? "none"}.`,
    );
  }
  if (Boolean(was.operation.deprecated) !== Boolean(now.operation.deprecated)) {
    c.add(
      "deprecated",
      false,
      key,
      `The operation is ${now.operation.deprecated ? "now" : "no longer"} deprecated.`,
    );
  }
  compareParameters(c, was, now);
  compareRequestBody(c, key, was.operation, now.operation);
  compareResponses(c, key, was.operation, now.operation);
  if (was.operation.security !== undefined || now.operation.security !== undefined) {
    compareSecurity(
      c,
      key,
      was.operation.security ?? c.before.security,
      now.operation.security ?? c.after.security,
      renamed,
    );
  }
}

function compareOperations(c: Collector, renamed: ReadonlyMap<string, string>): void {
  const before = operationsOf(c.before);
  const after = operationsOf(c.after);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort(compareOperationKeys);
  for (const key of keys) {
    const was = before.get(key);
    const now = after.get(key);
    if (was && now) compareOperation(c, was, now, renamed);
    else if (now) c.add("operation-added", false, key, `Added ${describeOperation(now)}.`);
    else if (was) c.add("operation-removed", true, key, `Removed ${describeOperation(was)}.`);
  }
}

function compareComponentSchemas(c: Collector, usage: Map<string, SchemaUse>): void {
  const before = c.before.components?.schemas ?? {};
  const after = c.after.components?.schemas ?? {};
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const name of names) {
    const pointer = `${SCHEMA_REF_PREFIX}${escapePointerSegment(name)}`;
    const use = usage.get(name);
    const operations = [...(use?.operations ?? [])].sort();
    if (!(name in after) || !(name in before)) {
      const removed = !(name in after);
      c.changes.push({
        type: removed ? "schema-removed" : "schema-added",
        // The generated `components["schemas"]` types lose the name, so code naming it stops compiling.
        breaking: removed,
        location: pointer,
        message: `${removed ? "Removed" : "Added"} schema \`${name}\`.`,
        schema: name,
        operations,
      });
      continue;
    }
    compareSchemas(
      {
        before: c.before,
        after: c.after,
        // A schema no operation uses is still exported as a type; treat it as used on both sides.
        directions: use?.directions.size ? use.directions : BOTH,
        pointer,
        root: name,
        path: "",
        schema: name,
        operations,
        comparing: new Set(),
        out: c.changes,
      },
      before[name],
      after[name],
    );
  }
}

/**
 * Compares two revisions of one OpenAPI document and lists every change that matters to an SDK
 * user, each classified breaking or not: operations, parameters, request and response bodies,
 * component schemas (attributed to the operations that use them, through any chain of `$ref`s),
 * security and servers. Description and example edits are only counted. A pure function: the
 * documents are not modified.
 */
export function diffSpecs(before: OpenApiDocument, after: OpenApiDocument): SpecDiff {
  const c = new Collector(before, after);
  const schemes = new Collector(before, after);
  const renamed = compareSecuritySchemes(schemes);
  compareOperations(c, renamed);
  compareComponentSchemas(c, mergeUsage(schemaUsage(before), schemaUsage(after)));
  c.changes.push(...schemes.changes);
  compareSecurity(c, "#/security", before.security, after.security, renamed);
  compareServers(c);
  const operationIds: Record<string, string> = {};
  for (const doc of [after, before]) {
    for (const entry of operationsOf(doc).values())
      if (entry.operation.operationId) operationIds[entry.key] ??= entry.operation.operationId;
  }
  return {
    breaking: c.changes.some((change) => change.breaking),
    changes: c.changes,
    documentationEdits: countDocumentationEdits(before, after),
    operationIds,
  };
}
