/**
 * The fake's digest of an OpenAPI document (`FakeModel`, src/testing/model.ts): what
 * `astro-api-client/testing` needs to imitate the API without reading the document at run time.
 * A pure function of the parsed document as written (its component `$ref`s name the records);
 * `renderFakeModel` turns it into the TypeScript module `npm run generate` writes to
 * `generated/v1-fake-model.ts`.
 *
 * Built from two halves: fake-model-roles.ts (operations by path shape) and fake-model-schemas.ts
 * (component schemas: trimming, copyable fields, samples).
 */
import { sample } from "openapi-sampler";
import type { FakeModel, FakeOperation, FakeParameter, FakeSchema } from "../../src/testing/model.js";
import { classify, recordSchemas } from "./fake-model-roles.js";
import {
  bodyProperties,
  compatible,
  completeRequired,
  reachable,
  SCHEMA_PREFIX,
  trim,
  type Json,
} from "./fake-model-schemas.js";

/** The parts of an OpenAPI 3.0 document read here; anything else passes through untouched. */
export interface FakeModelSource {
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Json> };
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
