/**
 * Records from requests: new ones start as a copy of the document-derived sample of their schema,
 * take the request's fields the model lets them copy, the ids of their path, and timestamps; an
 * answer is a record projected onto the answer's schema (a create may answer only `{ id }`).
 */
import type { FakeOperation } from "./model.js";
import type { FakeRecord } from "./state.js";

/** A deep copy of JSON data (samples and records are plain JSON). */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * `value` as text, for comparing a JSON value with an enum member or a version, or as a sort key.
 * Parsed JSON has no own `toString`, so an array reads as its items joined by commas and an object
 * as `[object Object]`, which equals no enum member or version and sorts with its kind.
 */
export function jsonText(value: unknown): string {
  return String(value);
}

/** An object with fields (a JSON object, or an object of options): not `null`, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Copies the body's fields the operation may copy; returns whether anything changed. */
export function applyBody(record: FakeRecord, operation: FakeOperation, body: unknown): void {
  if (!isObject(body)) return;
  for (const field of operation.copyFields ?? []) {
    const value = body[field];
    if (value === undefined) continue;
    const allowed = operation.copyEnums?.[field];
    if (allowed && !allowed.includes(jsonText(value))) continue;
    record[field] = cloneJson(value);
  }
}

/** Sets the fields a record shares with its path (`organizationId`, `deploymentId`) and its timestamps. */
export function stamp(
  record: FakeRecord,
  params: Readonly<Record<string, string>>,
  now: number,
  created: boolean,
): void {
  for (const [name, value] of Object.entries(params)) if (name in record) record[name] = value;
  const iso = new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
  if (created && "createdAt" in record) record.createdAt = iso;
  if ("updatedAt" in record) record.updatedAt = iso;
}

/** The record as an answer of the shape of `sample`: its fields where the sample has them. */
export function project(record: FakeRecord, sample: unknown, sameSchema: boolean): unknown {
  if (sameSchema || !isObject(sample)) return record;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(sample)) out[key] = key in record ? record[key] : sample[key];
  return out;
}

const PAGING = new Set(["offset", "limit", "sorts"]);

/**
 * Which records a list's query keeps: a parameter naming a field (`workspaceId`) keeps equal
 * values; a plural one (`names`, `workspaceIds`) keeps those among the given values, matching the
 * singular field or, for the collection's own ids (`deploymentIds` on deployments), `id`. A
 * parameter naming nothing the records have (a flag such as `includeDefaultRoles`) is ignored.
 */
export function filterRecords(
  records: FakeRecord[],
  query: Record<string, unknown>,
  collection: string,
): FakeRecord[] {
  const own = (collection.split("/").pop() ?? "")
    .replace(/-(\w)/g, (_, c: string) => c.toUpperCase())
    .replace(/s$/, "");
  const tests: ((r: FakeRecord) => boolean)[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (PAGING.has(name) || value === undefined) continue;
    const values = (Array.isArray(value) ? value : [value]).map(String);
    const singular = Array.isArray(value) && name.endsWith("s") ? name.slice(0, -1) : name;
    // Own fields only: `?constructor=x` names no field, however every object inherits one.
    const field = records.some((r) => Object.hasOwn(r, singular))
      ? singular
      : singular === `${own}Id`
        ? "id"
        : undefined;
    if (field === undefined) continue;
    tests.push((r) => values.includes(String(r[field])));
  }
  return tests.length ? records.filter((r) => tests.every((t) => t(r))) : records;
}

/** Applies `sorts` (`name:asc`, `createdAt:desc`, …) in order; stable, so ties keep creation order. */
export function sortRecords(records: FakeRecord[], sorts: unknown): FakeRecord[] {
  const keys = (Array.isArray(sorts) ? sorts : sorts === undefined ? [] : [sorts]).map((s) =>
    String(s).split(":"),
  );
  if (!keys.length) return records;
  return [...records].sort((a, b) => {
    for (const [field = "", direction] of keys) {
      const x = jsonText(a[field] ?? "");
      const y = jsonText(b[field] ?? "");
      if (x !== y) return (x < y ? -1 : 1) * (direction === "desc" ? -1 : 1);
    }
    return 0;
  });
}

/** The default `limit` an operation declares (20 in Astro's documents). */
export function defaultLimit(operation: FakeOperation): number {
  const schema = operation.params.find((p) => p.name === "limit")?.schema;
  return typeof schema?.default === "number" ? schema.default : 20;
}
