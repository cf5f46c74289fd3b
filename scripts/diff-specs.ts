import { isDeepStrictEqual } from "node:util";
import { show, type ApiChange, type ChangeType } from "./api-change.js";
import { deref } from "./build-manifest.js";
import { compareSchemas, type SchemaScope } from "./diff-schemas.js";
import { countDocumentationEdits } from "./documentation-edits.js";
import type { MediaType, OpenApiDocument, OperationObject, ResponseObject } from "./parse-spec.js";
import {
  compareOperationKeys,
  mergeUsage,
  operationsOf,
  parametersOf,
  schemaUsage,
  SCHEMA_REF_PREFIX,
  type Direction,
  type OperationEntry,
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

class Collector {
  readonly changes: ApiChange[] = [];
  constructor(
    readonly before: OpenApiDocument,
    readonly after: OpenApiDocument,
  ) {}

  add(type: ChangeType, breaking: boolean, location: string, message: string): void {
    this.changes.push({ type, breaking, location, message });
  }

  /** A scope for a schema written inline in an operation. */
  inline(operation: string, root: string, directions: ReadonlySet<Direction>): SchemaScope {
    return {
      before: this.before,
      after: this.after,
      directions,
      operation,
      pointer: "",
      root,
      path: "",
      comparing: new Set(),
      out: this.changes,
    };
  }
}

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
    const pointer = `${SCHEMA_REF_PREFIX}${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
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

type SecurityRequirement = Record<string, string[]>;

/** The alternatives of a security requirement, each the set of scheme names it needs (`[]` for anonymous). */
function alternatives(requirements: unknown, rename: ReadonlyMap<string, string> = new Map()): string[][] {
  const list = (requirements as SecurityRequirement[] | undefined) ?? [{}];
  return list.map((r) =>
    Object.keys(r)
      .map((name) => rename.get(name) ?? name)
      .sort(),
  );
}

function describeSecurity(requirements: unknown): string {
  if (requirements === undefined) return "none";
  const list = alternatives(requirements);
  return list.map((names) => names.join(" + ") || "anonymous").join(" or ");
}

/**
 * Compares requirements by scheme name, a renamed scheme counting as the same one (what each
 * scheme means is compared once, in `compareSecuritySchemes`). A client that satisfied one of the
 * old alternatives must satisfy one of the new ones, or the change is breaking.
 */
function compareSecurity(
  c: Collector,
  location: string,
  before: unknown,
  after: unknown,
  renamed: ReadonlyMap<string, string>,
): void {
  const was = alternatives(before, renamed);
  const now = alternatives(after);
  const key = (alts: string[][]) => alts.map((a) => a.join("+")).sort();
  if (isDeepStrictEqual(key(was), key(now))) return;
  const satisfied = (sent: string[]) => now.some((needed) => needed.every((name) => sent.includes(name)));
  c.add(
    "security-changed",
    !was.every(satisfied),
    location,
    `Security requirements changed from ${describeSecurity(before)} to ${describeSecurity(after)}.`,
  );
}

/** Reports scheme changes and returns the renames: a scheme removed while an identical one is added under another name. */
function compareSecuritySchemes(c: Collector): Map<string, string> {
  const before = (c.before.components?.securitySchemes ?? {}) as Record<string, unknown>;
  const after = (c.after.components?.securitySchemes ?? {}) as Record<string, unknown>;
  const pointer = (name: string) => `#/components/securitySchemes/${name}`;
  const renamed = new Map<string, string>();
  for (const [name, scheme] of Object.entries(before)) {
    if (name in after) continue;
    const twin = Object.keys(after).find((n) => !(n in before) && isDeepStrictEqual(after[n], scheme));
    if (twin !== undefined && ![...renamed.values()].includes(twin)) renamed.set(name, twin);
  }
  for (const [name, scheme] of Object.entries(before)) {
    const twin = renamed.get(name);
    if (twin !== undefined)
      c.add(
        "security-scheme-renamed",
        false,
        pointer(twin),
        `Security scheme \`${name}\` was renamed \`${twin}\`.`,
      );
    else if (!(name in after))
      c.add("security-scheme-removed", true, pointer(name), `Removed security scheme \`${name}\`.`);
    else if (!isDeepStrictEqual(scheme, after[name]))
      c.add(
        "security-scheme-changed",
        true,
        pointer(name),
        `Security scheme \`${name}\` changed from ${JSON.stringify(scheme)} to ${JSON.stringify(after[name])}.`,
      );
  }
  const twins = new Set(renamed.values());
  for (const name of Object.keys(after)) {
    if (!(name in before) && !twins.has(name))
      c.add("security-scheme-added", false, pointer(name), `Added security scheme \`${name}\`.`);
  }
  return renamed;
}

function compareServers(c: Collector): void {
  const urls = (doc: OpenApiDocument) => (doc.servers ?? []).map((s) => s.url);
  const before = urls(c.before);
  const after = urls(c.after);
  for (const url of before.filter((u) => !after.includes(u)))
    c.add("server-removed", true, "#/servers", `Removed server ${show(url)}.`);
  for (const url of after.filter((u) => !before.includes(u)))
    c.add("server-added", false, "#/servers", `Added server ${show(url)}.`);
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
