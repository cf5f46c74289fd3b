/**
 * The pinned v1 document's facts (generated/v1.facts.json: its schemas, parameters and examples,
 * in every clone), read by the tests (never by the fake): response validation with ajv and valid
 * request bodies sampled from its schemas.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { sample } from "openapi-sampler";
import { parse } from "yaml";

export const V1_DOCUMENT_FILE = fileURLToPath(new URL("../../generated/v1.facts.json", import.meta.url));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- document data

export const v1Document: Json = parse(readFileSync(V1_DOCUMENT_FILE, "utf8")) as Json;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateSchema: false }));
ajv.addSchema(v1Document, "v1.json");
const compiled = new Map<string, ValidateFunction>();

/** The parts of the document's objects read here (OpenAPI 3 Media Type, Response, Request Body, Schema). */
interface MediaType {
  schema?: unknown;
}
interface WithContent {
  content?: Record<string, MediaType | undefined>;
}
interface Discriminator {
  propertyName: string;
  mapping?: Record<string, string>;
}

function deref(node: unknown): Json {
  const ref = (node as { $ref?: string } | undefined)?.$ref;
  if (!ref) return node as Json;
  return ref
    .slice(2)
    .split("/")
    .reduce((at: Json, key) => at[key] as Json, v1Document);
}

export function operationOf(operationId: string): { path: string; method: string; operation: Json } {
  for (const [path, item] of Object.entries(v1Document.paths as Json))
    for (const [method, operation] of Object.entries(item as Json))
      if ((operation as Json).operationId === operationId)
        return { path, method, operation: operation as Json };
  throw new Error(`no operation ${operationId}`);
}

/** Problems of a response body against what the document declares for `status`; empty when it conforms. */
export function responseProblems(operationId: string, status: number, body: unknown): string[] {
  const key = `${operationId} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    const responses = operationOf(operationId).operation.responses as Json;
    const response = deref(responses[String(status)]) as WithContent | undefined;
    if (!response) return [`${operationId} declares no ${status}`];
    const schema = response.content?.["application/json"]?.schema;
    if (!schema) return body === undefined ? [] : [`${operationId} ${status} declares no JSON body`];
    const json = JSON.stringify(schema).replaceAll('"$ref":"#/', '"$ref":"v1.json#/');
    validate = ajv.compile(JSON.parse(json) as object);
    compiled.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "(body)"} ${e.message ?? ""}`);
}

/**
 * A valid request body: a sample of the schema; for a discriminated `oneOf`, of the first mapped
 * branch, with the discriminator set to its key.
 */
export function sampleRequestBody(operationId: string): unknown {
  const requestBody = operationOf(operationId).operation.requestBody as WithContent | undefined;
  const content = requestBody?.content?.["application/json"];
  if (!content) return undefined;
  let schema = deref(content.schema);
  let discriminator: [string, string] | undefined;
  const declared = schema.discriminator as Discriminator | undefined;
  if (declared?.mapping) {
    const [key, ref] = Object.entries(declared.mapping)[0]!;
    discriminator = [declared.propertyName, key];
    schema = deref({ $ref: ref });
  }
  const value = sample(schema, { quiet: true, skipReadOnly: true }, v1Document) as Json;
  if (discriminator) value[discriminator[0]] = discriminator[1];
  return value;
}
