/**
 * The component-schema side of the fake's model (scripts/generate/fake-model.ts): following
 * `$ref`s, trimming schemas for the fake's validator, finding what a validation needs, which
 * request fields fit a record's, and completing samples.
 */
export type Json = { [key: string]: unknown };

export const SCHEMA_PREFIX = "#/components/schemas/";
/** Keywords the fake's validator has no use for: documentation and vendor extensions. */
const DROPPED = new Set(["description", "example", "examples", "title", "externalDocs", "xml"]);

/** The component schema a `$ref` names; undefined for anything else. */
export function refName(schema: unknown): string | undefined {
  const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  return typeof ref === "string" && ref.startsWith(SCHEMA_PREFIX)
    ? ref.slice(SCHEMA_PREFIX.length)
    : undefined;
}

/**
 * A schema for validation: documentation dropped, and `oneOf` + `discriminator.mapping` turned
 * into a dispatch on the discriminator (JSON Schema `if`/`then`). The document's branches overlap
 * (a body meant for one matches several, which `oneOf` rejects); the API dispatches on the
 * property, and so does the fake.
 */
export function trim(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(trim);
  if (schema === null || typeof schema !== "object") return schema;
  const source = schema as Json;
  const discriminator = source.discriminator as { propertyName?: string; mapping?: Record<string, string> };
  if (Array.isArray(source.oneOf) && discriminator?.propertyName && discriminator.mapping) {
    const property = discriminator.propertyName;
    const values = Object.keys(discriminator.mapping);
    return {
      type: "object",
      required: [property],
      properties: { [property]: { type: "string", enum: values } },
      allOf: values.map((value) => ({
        if: { properties: { [property]: { const: value } }, required: [property] },
        then: { $ref: discriminator.mapping![value] },
      })),
    };
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (DROPPED.has(key) || key.startsWith("x-")) continue;
    // `properties` maps names to schemas: its keys are property names, never keywords to drop.
    out[key] =
      key === "properties"
        ? Object.fromEntries(Object.entries(value as Json).map(([name, s]) => [name, trim(s)]))
        : trim(value);
  }
  return out;
}

/** Names of the component schemas `root` refers to, directly or through others. */
export function reachable(schemas: Record<string, Json>, roots: unknown[]): Set<string> {
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node as Json)) {
      const name = key === "$ref" && typeof value === "string" ? refName({ $ref: value }) : undefined;
      if (name !== undefined && !seen.has(name)) {
        seen.add(name);
        visit(schemas[name]);
      } else visit(value);
    }
  };
  roots.forEach(visit);
  return seen;
}

/** A schema with its top-level `$ref` followed. */
export function resolve(schemas: Record<string, Json>, schema: unknown): Json {
  const name = refName(schema);
  return (name === undefined ? schema : schemas[name]) as Json;
}

/** The properties a body may carry: its own, or every discriminated branch's. */
export function bodyProperties(schemas: Record<string, Json>, schema: unknown): Record<string, Json> {
  const resolved = resolve(schemas, schema);
  const branches = (resolved.oneOf as unknown[] | undefined) ?? [resolved];
  const merged: Record<string, Json> = {};
  for (const branch of branches) Object.assign(merged, resolve(schemas, branch).properties ?? {});
  return merged;
}

/**
 * Whether a value `from` accepts can be copied where `to` is declared: same primitive type (or
 * arrays of one). An enum of `to` that `from` does not stay within gives the values that may be
 * copied (the rest keep the record's value); `false` when none can be.
 */
export function compatible(schemas: Record<string, Json>, from: unknown, to: unknown): boolean | string[] {
  const a = resolve(schemas, from);
  const b = resolve(schemas, to);
  if (a === undefined || b === undefined) return false;
  if (a.type === "array" && b.type === "array") return compatible(schemas, a.items, b.items) === true;
  if (!["string", "integer", "number", "boolean"].includes(a.type as string) || a.type !== b.type)
    return false;
  if (!Array.isArray(b.enum)) return true;
  if (Array.isArray(a.enum) && a.enum.every((v) => (b.enum as unknown[]).includes(v))) return true;
  const shared = (b.enum as unknown[])
    .filter((v) => !Array.isArray(a.enum) || a.enum.includes(v))
    .map(String);
  return shared.length ? shared : false;
}

/** Every key `schema` requires is present in `value` (the sampler leaves out required names without a schema). */
export function completeRequired(schemas: Record<string, Json>, schema: unknown, value: unknown): unknown {
  const resolved = resolve(schemas, schema);
  if (resolved === undefined || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => completeRequired(schemas, resolved.items, v));
  const object = value as Json;
  const properties = (resolved.properties ?? {}) as Json;
  for (const [name, property] of Object.entries(properties)) {
    if (name in object) object[name] = completeRequired(schemas, property, object[name]);
  }
  for (const name of (resolved.required as string[] | undefined) ?? [])
    if (!(name in object)) object[name] = "";
  return object;
}
