// Longer than most files here on purpose: this is one recursive comparison (types, enums,
// properties, items, compositions, constraints) whose steps all share `SchemaScope` and call
// back into `compareSchemas`; split across files, its one breaking-change rule would be harder
// to check in one read.
import { isDeepStrictEqual } from "node:util";
import { isBreaking, show, type ApiChange, type ChangeType, type Effect } from "./api-change.js";
import { deref } from "../openapi/deref.js";
import type { OpenApiDocument, SchemaObject } from "../openapi/document.js";
import { escapePointerSegment } from "../openapi/json-pointer.js";
import { isAnnotation } from "./documentation-edits.js";
import type { Direction } from "./schema-usage.js";

/** Where the schemas being compared sit, and where their changes are reported. */
export interface SchemaScope {
  before: OpenApiDocument;
  after: OpenApiDocument;
  /** The sides the schema is used on; they decide which changes break (see `isBreaking`). */
  directions: ReadonlySet<Direction>;
  /** Set for a schema written inline in an operation: every change is reported at `METHOD /path`. */
  operation?: string;
  /** JSON pointer of the node compared; the location of changes outside an operation. */
  pointer: string;
  /** A component schema's name, or what an inline schema describes (`response 200 body`). */
  root: string;
  /** The path below `root`, e.g. `deployments[].status`. */
  path: string;
  /** For a component schema: its name and the operations that use it, copied onto each change. */
  schema?: string;
  operations?: string[];
  /** `$ref` pairs being compared further up this walk: a recursive schema is compared once. */
  comparing: ReadonlySet<string>;
  out: ApiChange[];
}

const HANDLED = new Set([
  "$ref",
  "type",
  "nullable",
  "format",
  "enum",
  "properties",
  "required",
  "items",
  "additionalProperties",
  "allOf",
  "oneOf",
  "anyOf",
  "deprecated",
]);
const LOWER_BOUNDS = new Set(["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"]);
const UPPER_BOUNDS = new Set(["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"]);
const OTHER_CONSTRAINTS = new Set(["pattern", "multipleOf", "uniqueItems"]);

function refOf(value: unknown): string | undefined {
  const ref = (value as { $ref?: unknown } | null | undefined)?.$ref;
  return typeof ref === "string" ? ref : undefined;
}

function childPath(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** What a change is about, in words: `` `Deployment.status` `` or `` `status` in the response 200 body``. */
export function subject(scope: SchemaScope): string {
  if (scope.operation) return scope.path ? `\`${scope.path}\` in the ${scope.root}` : `the ${scope.root}`;
  const sep = scope.path === "" || scope.path.startsWith("[") || scope.path.startsWith("{") ? "" : ".";
  return `\`${scope.root}${sep}${scope.path}\``;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function emit(scope: SchemaScope, type: ChangeType, effect: Effect, message: string): void {
  const change: ApiChange = {
    type,
    breaking: isBreaking(effect, scope.directions),
    location: scope.operation ?? scope.pointer,
    message,
  };
  if (scope.schema !== undefined) {
    change.schema = scope.schema;
    change.operations = scope.operations ?? [];
  }
  scope.out.push(change);
}

function typeOf(schema: SchemaObject): string | undefined {
  const type: unknown = schema.type;
  if (type === undefined) return undefined;
  if (Array.isArray(type)) return [...(type as string[])].sort().join(" | ");
  return typeof type === "string" ? type : JSON.stringify(type);
}

/** A bound moves: tighter narrows the values allowed, looser widens them; any other constraint added or changed narrows. */
function constraintEffect(key: string, before: unknown, after: unknown): Effect {
  const absent = (v: unknown) => v === undefined || v === false;
  if (absent(after)) return "widens";
  if (absent(before)) return "narrows";
  if (typeof before === "number" && typeof after === "number") {
    if (LOWER_BOUNDS.has(key)) return after > before ? "narrows" : "widens";
    if (UPPER_BOUNDS.has(key)) return after < before ? "narrows" : "widens";
  }
  return "narrows";
}

function compareConstraints(scope: SchemaScope, before: SchemaObject, after: SchemaObject): void {
  for (const key of [...LOWER_BOUNDS, ...UPPER_BOUNDS, ...OTHER_CONSTRAINTS]) {
    if (isDeepStrictEqual(before[key], after[key])) continue;
    // Constraints are not part of the generated types: loosening one breaks no one, tightening
    // one breaks callers whose values the server now rejects.
    const effect = constraintEffect(key, before[key], after[key]) === "narrows" ? "narrows" : "neither";
    emit(
      scope,
      "constraint-changed",
      effect,
      `${capitalized(subject(scope))}: \`${key}\` changed from ${show(before[key] ?? "none")} to ${show(after[key] ?? "none")}.`,
    );
  }
}

function compareEnums(scope: SchemaScope, before: SchemaObject, after: SchemaObject): void {
  const was = before.enum;
  const now = after.enum;
  if (was && now) {
    for (const value of now.filter((v) => !was.some((w) => isDeepStrictEqual(v, w))))
      emit(
        scope,
        "enum-value-added",
        "widens",
        `Added value \`${show(value)}\` to the enum of ${subject(scope)}.`,
      );
    for (const value of was.filter((v) => !now.some((w) => isDeepStrictEqual(v, w))))
      emit(
        scope,
        "enum-value-removed",
        "narrows",
        `Removed value \`${show(value)}\` from the enum of ${subject(scope)}.`,
      );
  } else if (now) {
    emit(
      scope,
      "enum-added",
      "narrows",
      `${capitalized(subject(scope))} is now limited to ${now.map(show).join(", ")}.`,
    );
  } else if (was) {
    emit(
      scope,
      "enum-removed",
      "widens",
      `${capitalized(subject(scope))} is no longer limited to ${was.map(show).join(", ")}.`,
    );
  }
}

function compareProperties(scope: SchemaScope, before: SchemaObject, after: SchemaObject): void {
  const was = before.properties ?? {};
  const now = after.properties ?? {};
  const wasRequired = new Set(before.required ?? []);
  const nowRequired = new Set(after.required ?? []);
  for (const name of new Set([...Object.keys(was), ...Object.keys(now)])) {
    const child: SchemaScope = {
      ...scope,
      pointer: `${scope.pointer}/properties/${escapePointerSegment(name)}`,
      path: childPath(scope.path, name),
    };
    if (!(name in now)) {
      emit(child, "property-removed", "both", `Removed property ${subject(child)}.`);
    } else if (!(name in was)) {
      const required = nowRequired.has(name);
      emit(
        child,
        "property-added",
        required ? "narrows" : "neither",
        `Added ${required ? "required" : "optional"} property ${subject(child)}.`,
      );
    } else {
      if (wasRequired.has(name) && !nowRequired.has(name))
        emit(child, "property-optional", "widens", `${capitalized(subject(child))} is no longer required.`);
      if (!wasRequired.has(name) && nowRequired.has(name))
        emit(child, "property-required", "narrows", `${capitalized(subject(child))} is now required.`);
      compareSchemas(child, was[name], now[name]);
    }
  }
}

/** `false` admits no extra properties, a schema admits typed ones, `true` or absent admits any. */
function openness(value: unknown): number {
  if (value === false) return 0;
  return value === undefined || value === true ? 2 : 1;
}

function compareAdditionalProperties(scope: SchemaScope, before: SchemaObject, after: SchemaObject): void {
  const was = before.additionalProperties;
  const now = after.additionalProperties;
  if (openness(was) === 1 && openness(now) === 1) {
    compareSchemas(
      { ...scope, pointer: `${scope.pointer}/additionalProperties`, path: `${scope.path}{}` },
      was,
      now,
    );
  } else if (openness(was) !== openness(now)) {
    emit(
      scope,
      "keyword-changed",
      openness(now) > openness(was) ? "widens" : "narrows",
      `${capitalized(subject(scope))}: \`additionalProperties\` changed from ${show(was ?? "absent")} to ${show(now ?? "absent")}.`,
    );
  }
}

function memberName(member: unknown): string {
  const ref = refOf(member);
  return ref ? `\`${ref.split("/").pop()}\`` : "an inline schema";
}

/**
 * Members of `allOf`/`oneOf`/`anyOf` are paired by the schema they reference, then inline ones by
 * position. An added `oneOf`/`anyOf` variant widens what the schema allows, an added `allOf`
 * member narrows it.
 */
function compareCompositions(scope: SchemaScope, before: SchemaObject, after: SchemaObject): void {
  for (const keyword of ["allOf", "oneOf", "anyOf"] as const) {
    const was = (before[keyword] as unknown[] | undefined) ?? [];
    const now = (after[keyword] as unknown[] | undefined) ?? [];
    if (was.length === 0 && now.length === 0) continue;
    const unmatched = new Set(now.keys());
    const pairs: [number, number][] = [];
    const leftover: number[] = [];
    was.forEach((member, i) => {
      const ref = refOf(member);
      const j = ref === undefined ? undefined : [...unmatched].find((k) => refOf(now[k]) === ref);
      if (j === undefined) leftover.push(i);
      else {
        pairs.push([i, j]);
        unmatched.delete(j);
      }
    });
    for (const i of leftover) {
      const j = [...unmatched].find((k) => refOf(now[k]) === undefined && refOf(was[i]) === undefined);
      if (j === undefined) {
        emit(
          scope,
          "variant-removed",
          keyword === "allOf" ? "widens" : "narrows",
          `Removed ${memberName(was[i])} from the \`${keyword}\` of ${subject(scope)}.`,
        );
      } else {
        pairs.push([i, j]);
        unmatched.delete(j);
      }
    }
    for (const j of unmatched) {
      emit(
        scope,
        "variant-added",
        keyword === "allOf" ? "narrows" : "widens",
        `Added ${memberName(now[j])} to the \`${keyword}\` of ${subject(scope)}.`,
      );
    }
    for (const [i, j] of pairs)
      compareSchemas({ ...scope, pointer: `${scope.pointer}/${keyword}/${j}` }, was[i], now[j]);
  }
}

function compareRest(scope: SchemaScope, before: SchemaObject, after: SchemaObject): void {
  if (Boolean(before.deprecated) !== Boolean(after.deprecated)) {
    emit(
      scope,
      "deprecated",
      "neither",
      `${capitalized(subject(scope))} is ${after.deprecated ? "now" : "no longer"} deprecated.`,
    );
  }
  const constraints = new Set([...LOWER_BOUNDS, ...UPPER_BOUNDS, ...OTHER_CONSTRAINTS]);
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (HANDLED.has(key) || constraints.has(key) || isAnnotation(key)) continue;
    if (isDeepStrictEqual(before[key], after[key])) continue;
    emit(
      scope,
      "keyword-changed",
      "neither",
      `${capitalized(subject(scope))}: \`${key}\` changed from ${show(before[key] ?? "absent")} to ${show(after[key] ?? "absent")}.`,
    );
  }
}

/**
 * Compares two versions of one schema and records every change that matters to a caller into
 * `scope.out`. Two references to the same component are not descended into: that component is
 * compared once on its own and its changes are attributed to the operations using it. A
 * reference that now points elsewhere (or replaces an inline schema) is compared by structure,
 * so renaming a schema without changing its shape reports nothing.
 *
 * Classification follows `isBreaking`: a value added to a response enum is breaking (exhaustive
 * handling of the generated union stops compiling), a value removed from a request enum is
 * breaking (callers sending it are rejected); the opposite sides are not.
 */
export function compareSchemas(scope: SchemaScope, beforeRaw: unknown, afterRaw: unknown): void {
  const beforeRef = refOf(beforeRaw);
  const afterRef = refOf(afterRaw);
  if (beforeRef !== undefined && beforeRef === afterRef) return;
  if (beforeRef !== undefined || afterRef !== undefined) {
    const pair = `${beforeRef ?? "inline"} -> ${afterRef ?? "inline"}`;
    if (scope.comparing.has(pair)) return;
    scope = {
      ...scope,
      comparing: new Set([...scope.comparing, pair]),
      pointer: afterRef ?? scope.pointer,
    };
  }
  const before = deref<SchemaObject | boolean>(scope.before, beforeRaw as SchemaObject);
  const after = deref<SchemaObject | boolean>(scope.after, afterRaw as SchemaObject);
  if (typeof before !== "object" || typeof after !== "object" || before === null || after === null) {
    if (!isDeepStrictEqual(before, after))
      emit(
        scope,
        "type-changed",
        "both",
        `${capitalized(subject(scope))} changed from ${show(before)} to ${show(after)}.`,
      );
    return;
  }
  const wasType = typeOf(before);
  const nowType = typeOf(after);
  if (wasType !== nowType) {
    emit(
      scope,
      "type-changed",
      "both",
      `${capitalized(subject(scope))} changed type from ${wasType ?? "unspecified"} to ${nowType ?? "unspecified"}.`,
    );
    return;
  }
  if (Boolean(before.nullable) !== Boolean(after.nullable)) {
    emit(
      scope,
      "nullable-changed",
      after.nullable ? "widens" : "narrows",
      `${capitalized(subject(scope))} is ${after.nullable ? "now" : "no longer"} nullable.`,
    );
  }
  if (before.format !== after.format) {
    const effect = before.format === undefined ? "narrows" : after.format === undefined ? "widens" : "both";
    emit(
      scope,
      "format-changed",
      effect,
      `${capitalized(subject(scope))} changed format from ${before.format ?? "none"} to ${after.format ?? "none"}.`,
    );
  }
  compareEnums(scope, before, after);
  compareProperties(scope, before, after);
  if (before.items !== undefined && after.items !== undefined) {
    compareSchemas(
      { ...scope, pointer: `${scope.pointer}/items`, path: `${scope.path}[]` },
      before.items,
      after.items,
    );
  } else if (before.items !== after.items) {
    emit(
      scope,
      "type-changed",
      "both",
      `${capitalized(subject(scope))}: \`items\` ${after.items ? "added" : "removed"}.`,
    );
  }
  compareAdditionalProperties(scope, before, after);
  compareCompositions(scope, before, after);
  compareConstraints(scope, before, after);
  compareRest(scope, before, after);
}
