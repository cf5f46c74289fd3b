/**
 * The fake's digest of an OpenAPI document (`FakeModel`, src/testing/model.ts): what
 * `astro-api-client/testing` needs to imitate the API without reading the document at run time.
 * A pure function of the parsed document as written (its component `$ref`s name the records);
 * `renderFakeModel` turns it into the TypeScript module `npm run generate` writes to
 * `generated/v1-fake-model.ts`.
 *
 * Length: one concern (document → model) whose parts — roles by path shape, copyable fields,
 * trimmed validation schemas, complete samples — only make sense together (~380 lines, one file
 * so the pipeline can take it as it is).
 */
import { sample } from "openapi-sampler";
import type {
  FakeModel,
  FakeOperation,
  FakeParameter,
  FakeRole,
  FakeSchema,
} from "../../src/testing/model.js";

type Json = { [key: string]: unknown };

/** The parts of an OpenAPI 3.0 document read here; anything else passes through untouched. */
export interface FakeModelSource {
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Json> };
}

const SCHEMA_PREFIX = "#/components/schemas/";
const METHODS = ["get", "post", "delete"] as const;
/** Keywords the fake's validator has no use for: documentation and vendor extensions. */
const DROPPED = new Set(["description", "example", "examples", "title", "externalDocs", "xml"]);

function refName(schema: unknown): string | undefined {
  const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  return typeof ref === "string" && ref.startsWith(SCHEMA_PREFIX)
    ? ref.slice(SCHEMA_PREFIX.length)
    : undefined;
}

function isParam(segment: string | undefined): boolean {
  return segment !== undefined && /^\{[^}]+\}$/.test(segment);
}

function parent(path: string): string {
  return path.slice(0, path.lastIndexOf("/"));
}

/**
 * A schema for validation: documentation dropped, and `oneOf` + `discriminator.mapping` turned
 * into a dispatch on the discriminator (JSON Schema `if`/`then`). The document's branches overlap
 * (a body meant for one matches several, which `oneOf` rejects); the API dispatches on the
 * property, and so does the fake.
 */
function trim(schema: unknown): unknown {
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
function reachable(schemas: Record<string, Json>, roots: unknown[]): Set<string> {
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
function resolve(schemas: Record<string, Json>, schema: unknown): Json {
  const name = refName(schema);
  return (name === undefined ? schema : schemas[name]) as Json;
}

/** The properties a body may carry: its own, or every discriminated branch's. */
function bodyProperties(schemas: Record<string, Json>, schema: unknown): Record<string, Json> {
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
function compatible(schemas: Record<string, Json>, from: unknown, to: unknown): boolean | string[] {
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
function completeRequired(schemas: Record<string, Json>, schema: unknown, value: unknown): unknown {
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

function successOf(operation: Json): [number, Json | undefined] {
  const responses = operation.responses as Record<string, Json>;
  const status = Object.keys(responses)
    .filter((s) => /^2\d\d$/.test(s))
    .sort()[0];
  if (status === undefined) throw new Error(`${String(operation.operationId)} declares no 2xx response`);
  return [Number(status), responses[status]];
}

interface Classified {
  path: string;
  method: (typeof METHODS)[number];
  operation: Json;
  operationId: string;
  role: FakeRole;
  collection: string | undefined;
  status: number;
  contentType: string | undefined;
  schema: unknown;
  schemaName: string | undefined;
  itemsKey: string | undefined;
  itemSchemaName: string | undefined;
}

/** Role by path shape (see `FakeRole`), and what the success answer holds. */
function classify(doc: FakeModelSource, schemas: Record<string, Json>): Classified[] {
  const paths = Object.keys(doc.paths);
  const hasItems = (collection: string): boolean =>
    paths.some((p) => parent(p) === collection && isParam(p.split("/").pop()));
  const getSchemaOf = (path: string): string | undefined => {
    const get = doc.paths[path]?.get as Json | undefined;
    if (!get) return undefined;
    const content = successOf(get)[1]?.content as Record<string, Json> | undefined;
    return refName(content?.["application/json"]?.schema);
  };
  const out: Classified[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const [status, response] = successOf(operation);
      const content = response?.content as Record<string, { schema?: unknown }> | undefined;
      const contentType = content ? Object.keys(content)[0] : undefined;
      const schema = contentType ? content![contentType]!.schema : undefined;
      const schemaName = refName(schema);
      const last = path.split("/").pop();
      const bodyProps = ((resolve(schemas, schema ?? {}) ?? {}).properties ?? {}) as Record<string, Json>;
      // A page may hold several arrays (roles: `defaultRoles`, `roles`): the one named after the path wins.
      const named = (last ?? "").replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
      const arrays = Object.keys(bodyProps).filter((k) => bodyProps[k]!.type === "array");
      const itemsKey =
        method === "get" && "totalCount" in bodyProps
          ? arrays.includes(named)
            ? named
            : arrays[0]
          : undefined;
      let role: FakeRole = "static";
      let collection: string | undefined;
      if (isParam(last))
        [role, collection] = [
          ({ get: "read", post: "update", delete: "delete" } as const)[method],
          parent(path),
        ];
      else if (itemsKey !== undefined) [role, collection] = ["list", path];
      else if (method === "post" && hasItems(path)) [role, collection] = ["create", path];
      else if (method === "post" && schemaName && getSchemaOf(parent(path)) === schemaName)
        [role, collection] = ["itemAction", parent(parent(path))];
      const itemSchemaName = itemsKey ? refName(bodyProps[itemsKey]!.items) : undefined;
      out.push({
        path,
        method,
        operation,
        operationId: String(operation.operationId),
        role,
        collection,
        status,
        contentType,
        schema,
        schemaName,
        itemsKey,
        itemSchemaName,
      });
    }
  }
  return out;
}

/**
 * The component schema of each collection's records: what its item GET answers, else a list's
 * item, else what its create answers (a create may answer less than the record: `{ id }`).
 */
function recordSchemas(operations: readonly Classified[]): Map<string, string> {
  const records = new Map<string, string>();
  const rank = { read: 0, list: 1, create: 2 } as Partial<Record<FakeRole, number>>;
  const sorted = [...operations].sort((a, b) => (rank[a.role] ?? 9) - (rank[b.role] ?? 9));
  for (const op of sorted) {
    const name = op.role === "list" ? op.itemSchemaName : op.role in rank ? op.schemaName : undefined;
    if (op.collection !== undefined && name !== undefined && !records.has(op.collection))
      records.set(op.collection, name);
  }
  return records;
}

/** The fake's model of `doc`: pure, deterministic (document order throughout). */
export function buildFakeModel(doc: FakeModelSource): FakeModel {
  const schemas = doc.components?.schemas ?? {};
  const classified = classify(doc, schemas);
  const records = recordSchemas(classified);
  const validationRoots: unknown[] = [];
  const sampled = new Map<string, unknown>();
  const addSample = (key: string, schema: unknown): void => {
    if (sampled.has(key)) return;
    const value = sample(schema as never, { quiet: true }, doc);
    sampled.set(key, completeRequired(schemas, schema, value));
  };

  const operations = classified.map((op): FakeOperation => {
    const { operation, operationId, collection } = op;
    const params = ((operation.parameters ?? []) as Json[])
      .filter((p) => p.in === "path" || p.in === "query")
      .map((p): FakeParameter => {
        validationRoots.push(p.schema);
        return {
          name: String(p.name),
          in: p.in as "path" | "query",
          required: p.required === true,
          schema: trim(p.schema ?? { type: "string" }) as FakeSchema,
        };
      });
    const requestBody = operation.requestBody as
      { required?: boolean; content?: Record<string, Json> } | undefined;
    const requestSchema = requestBody?.content?.["application/json"]?.schema;
    if (requestSchema) validationRoots.push(requestSchema);

    const record = collection === undefined ? undefined : records.get(collection);
    // Records are known by their component schema's name, which only a `$ref` carries.
    if (collection !== undefined && record === undefined)
      throw new Error(
        `buildFakeModel: ${operationId} answers no component schema by $ref ` +
          "(pass the document as written, not dereferenced)",
      );
    if (record !== undefined) addSample(record, { $ref: SCHEMA_PREFIX + record });
    let answer: string | undefined;
    if (op.itemSchemaName !== undefined)
      addSample(op.itemSchemaName, { $ref: SCHEMA_PREFIX + op.itemSchemaName });
    if (op.schemaName !== undefined) addSample((answer = op.schemaName), op.schema);
    else if (op.contentType === "application/json") addSample((answer = operationId), op.schema);
    const recordProps = record ? ((schemas[record]!.properties ?? {}) as Json) : {};
    const requestProps = requestSchema ? bodyProperties(schemas, requestSchema) : {};
    const copyFields: string[] = [];
    const copyEnums: Record<string, string[]> = {};
    for (const name of Object.keys(requestProps)) {
      if (name === "id" || !(name in recordProps)) continue;
      const fit = compatible(schemas, requestProps[name], recordProps[name]);
      if (fit !== false) copyFields.push(name);
      if (Array.isArray(fit)) copyEnums[name] = fit;
    }

    return {
      operationId,
      method: op.method,
      path: op.path,
      role: op.role,
      ...(collection === undefined ? {} : { collection }),
      ...(record === undefined ? {} : { record }),
      params,
      ...(requestSchema
        ? {
            requestBody: {
              required: requestBody.required === true,
              schema: trim(requestSchema) as FakeSchema,
            },
          }
        : {}),
      success: {
        status: op.status,
        ...(op.contentType === undefined ? {} : { contentType: op.contentType }),
        ...(answer === undefined ? {} : { sample: answer }),
        ...(op.itemsKey === undefined ? {} : { itemsKey: op.itemsKey }),
        ...(op.itemSchemaName === undefined ? {} : { itemSample: op.itemSchemaName }),
      },
      ...(copyFields.length ? { copyFields } : {}),
      ...(Object.keys(copyEnums).length ? { copyEnums } : {}),
    };
  });

  const needed = reachable(schemas, validationRoots);
  const statusEnums: Record<string, string[]> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const values = ((schema.properties as Json | undefined)?.status as Json | undefined)?.enum;
    if (Array.isArray(values)) statusEnums[name] = values.map(String);
  }
  return {
    document: { title: doc.info.title, version: doc.info.version },
    operations,
    schemas: Object.fromEntries(
      Object.keys(schemas)
        .filter((name) => needed.has(name))
        .map((name) => [name, trim(schemas[name]) as FakeSchema]),
    ),
    samples: Object.fromEntries([...sampled].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    statusEnums,
  };
}

/**
 * The body of `generated/<document>-fake-model.ts` for `doc` (the generator adds the header and
 * formats it): one constant, `exportName`, typed by the fake's `FakeModel`.
 *
 * The model is data, written as indented JSON under `// prettier-ignore`: reflowing 150 kB of
 * literals cost the generator a third of a second per run (a tenth of its budget) for a layout
 * no one reads differently, and one value per line keeps a regeneration's diff reviewable.
 */
export function renderFakeModel(doc: FakeModelSource, exportName: string): string {
  return (
    'import type { FakeModel } from "../src/testing/model.js";\n\n' +
    "// prettier-ignore\n" +
    `export const ${exportName}: FakeModel = ${JSON.stringify(buildFakeModel(doc), null, 2)};\n`
  );
}
