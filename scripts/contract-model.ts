import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { sample } from "openapi-sampler";
import type { ApiName } from "../generated/operations.js";
import type { AstroClient } from "../src/index.js";
import { locateDocument, type DocumentOptions } from "../src/mock/documents.js";
import { deref } from "./build-manifest.js";
import {
  HTTP_METHODS,
  parseSpec,
  type HttpMethod,
  type MediaType,
  type OpenApiDocument,
  type OperationObject,
  type ParameterObject,
  type ResponseObject,
  type SchemaObject,
} from "./parse-spec.js";
import { API_NAMES } from "./pins.js";

/**
 * The contract of every operation, derived from the pinned documents alone — nothing here is
 * written per operation, so an operation added to a future document is covered as it is:
 * a valid request (path and required query parameters, a body from the document's examples or
 * sampled from its schema), an invalid one when the operation takes input that can be wrong,
 * and validators of the declared responses. Used by the contract suite (test/contract/) and by
 * `npm run contract:live`.
 */

/** The values of one request, as `createAstroClient` takes them. */
export interface ContractRequest {
  path: Record<string, string>;
  query: Record<string, unknown>;
  /** `undefined` when the operation takes no body. */
  body?: unknown;
}

/** A request the API must reject, and the words its violation message must contain. */
export interface InvalidRequest {
  request: ContractRequest;
  /** What is wrong with it, for test names and reports. */
  what: string;
  /** Matched against Prism's violation message. */
  violation: RegExp;
}

export interface ContractOperation {
  api: ApiName;
  operationId: string;
  method: HttpMethod;
  /** The path template. */
  path: string;
  /** Declared 2xx statuses. */
  successStatuses: number[];
  /** Declared error statuses as written (`"404"`, `"4XX"`). */
  errorStatuses: string[];
  request: ContractRequest;
  invalid: InvalidRequest | undefined;
  /** Anything unusual about the document that building the requests had to work around. */
  notes: string[];
  /** Problems of a response body against the declaration for its status; empty when it conforms. */
  validateResponse(status: number, body: unknown): string[];
}

export interface ContractDocument {
  api: ApiName;
  /** The file it was read from. */
  file: string;
  /** Its verified text. */
  text: string;
  doc: OpenApiDocument;
}

// ajv-formats is CommonJS with a default export; under NodeNext its namespace is what we import.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Validates values against schemas of the documents, whose `#/…` references stay resolvable. */
class SchemaValidator {
  // OpenAPI 3.0 schemas carry keywords JSON Schema does not know (example, x-…): not errors.
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateSchema: false }));
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor(documents: readonly ContractDocument[]) {
    for (const { api, doc } of documents) this.ajv.addSchema(doc as object, `${api}.json`);
  }

  /** Problems of `value` against `schema` (a schema of `api`'s document); empty when valid. */
  problems(api: ApiName, schema: SchemaObject, value: unknown): string[] {
    let validate = this.compiled.get(schema);
    if (!validate) {
      // A schema taken out of its document refers to it by `#/…`: point those at the document.
      const json = JSON.stringify(schema).replaceAll('"$ref":"#/', `"$ref":"${api}.json#/`);
      validate = this.ajv.compile(JSON.parse(json) as object);
      this.compiled.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "(body)"} ${e.message ?? "is invalid"}`);
  }

  valid(api: ApiName, schema: SchemaObject, value: unknown): boolean {
    return this.problems(api, schema, value).length === 0;
  }
}

/** Reads and parses the pinned documents, found the same way the mock finds them. */
export async function loadDocuments(options: DocumentOptions = {}): Promise<ContractDocument[]> {
  return Promise.all(
    API_NAMES.map(async (api) => {
      const located = await locateDocument(api, options);
      return { api, file: located.file, text: located.text, doc: parseSpec(located.text, located.file) };
    }),
  );
}

function jsonMedia(content: Record<string, MediaType> | undefined): [string, MediaType] | undefined {
  const key = Object.keys(content ?? {}).find((type) => /json/i.test(type));
  return key === undefined ? undefined : [key, content![key]!];
}

/** A value for a parameter: its example, its schema's example or first enum value, else a sample. */
function parameterValue(doc: OpenApiDocument, parameter: ParameterObject): unknown {
  const withExample = parameter as ParameterObject & { example?: unknown };
  if (withExample.example !== undefined) return withExample.example;
  const schema = parameter.schema ? deref<SchemaObject>(doc, parameter.schema) : { type: "string" };
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.type === "string" && schema.format === undefined) return `${parameter.name}-1`;
  return sample(schema as never, { quiet: true }, doc);
}

/** A candidate request body, and what had to be done to make it, when it is unusual. */
interface BodyCandidate {
  value: unknown;
  note?: string;
}

/** A value no schema of this type accepts: the wrong JSON type. */
function wrongType(schema: SchemaObject): unknown {
  return schema.type === "string" ? 0 : "not-a-" + (schema.type ?? "value");
}

/**
 * Candidate bodies, best first: the document's examples, a sample of the whole schema, then a
 * sample of each `oneOf` branch (a sample of the whole takes the first branch, which may also
 * match another one, and `oneOf` wants exactly one). When branches overlap so that a sample
 * matches several, last come samples that also carry a property only the other branches
 * declare, with a type they reject.
 */
function bodyCandidates(doc: OpenApiDocument, media: MediaType): BodyCandidate[] {
  const candidates: BodyCandidate[] = [];
  if (media.example !== undefined) candidates.push({ value: media.example });
  for (const example of Object.values(media.examples ?? {})) {
    const value = deref<{ value?: unknown }>(doc, example as { value?: unknown }).value;
    if (value !== undefined) candidates.push({ value });
  }
  if (!media.schema) return candidates;
  const schema = deref<SchemaObject>(doc, media.schema);
  const options = { quiet: true, skipReadOnly: true };
  candidates.push({ value: sample(schema as never, options, doc) });
  const branches = ((schema.oneOf as SchemaObject[] | undefined) ?? []).map((b) =>
    deref<SchemaObject>(doc, b),
  );
  for (const branch of branches) {
    candidates.push({ value: sample(branch as never, options, doc) });
    candidates.push({ value: sample(branch as never, { ...options, skipNonRequired: true }, doc) });
  }
  for (const [i, branch] of branches.entries()) {
    const base = sample(branch as never, options, doc) as Record<string, unknown>;
    const excluding: Record<string, unknown> = {};
    for (const other of branches.filter((_, j) => j !== i)) {
      for (const [name, property] of Object.entries(other.properties ?? {})) {
        if (!(name in (branch.properties ?? {})))
          excluding[name] = wrongType(deref<SchemaObject>(doc, property));
      }
    }
    const names = Object.keys(excluding);
    if (names.length === 0) continue;
    candidates.push({
      value: { ...base, ...excluding },
      note:
        `its oneOf branches overlap (no body matches exactly one as the examples are); ` +
        `this body matches only ${refName(schema.oneOf as unknown[], i)} by giving ${names.join(", ")} ` +
        `(declared only by the other branches) a type they reject`,
    });
  }
  return candidates;
}

/**
 * Pairs of `oneOf` branches that accept each other's bodies: a body meant for either matches
 * both, so a validating server (Prism) rejects it. Reported, because it is a defect of the
 * document that the real API may not share.
 */
function overlappingBranches(
  validator: SchemaValidator,
  api: ApiName,
  doc: OpenApiDocument,
  schema: SchemaObject,
): string[] {
  const raw = (schema.oneOf as unknown[] | undefined) ?? [];
  const branches = raw.map((b) => deref<SchemaObject>(doc, b as SchemaObject));
  const samples = branches.map((b) => sample(b as never, { quiet: true, skipReadOnly: true }, doc));
  const notes: string[] = [];
  for (let i = 0; i < branches.length; i++)
    for (let j = i + 1; j < branches.length; j++)
      if (validator.valid(api, branches[j]!, samples[i]) && validator.valid(api, branches[i]!, samples[j]))
        notes.push(
          `request body: oneOf branches ${refName(raw, i)} and ${refName(raw, j)} accept each other's bodies, ` +
            `so a body meant for either matches both and a validating server rejects it`,
        );
  return notes;
}

function refName(branches: unknown[], i: number): string {
  const ref = (branches[i] as { $ref?: string }).$ref;
  return ref ? ref.slice(ref.lastIndexOf("/") + 1) : `branch ${i + 1}`;
}

/** The object schema a body is checked against: the `oneOf` branch it matches, or the schema itself. */
function bodyShape(
  validator: SchemaValidator,
  api: ApiName,
  doc: OpenApiDocument,
  schema: SchemaObject,
  body: unknown,
): SchemaObject {
  for (const branch of (schema.oneOf as SchemaObject[] | undefined) ?? []) {
    const resolved = deref<SchemaObject>(doc, branch);
    if (validator.valid(api, resolved, body)) return resolved;
  }
  return schema;
}

/**
 * Breaks a valid body in a way the schema must reject: first by leaving out a required
 * property, else by giving an enum property a value outside it, else a property the wrong type.
 */
function breakBody(
  doc: OpenApiDocument,
  shape: SchemaObject,
  body: Record<string, unknown>,
): { body: Record<string, unknown>; what: string; violation: RegExp } | undefined {
  const required = shape.required?.[0];
  if (required !== undefined) {
    const { [required]: _, ...rest } = body;
    return {
      body: rest,
      what: `without required property ${required}`,
      violation: new RegExp(`required property '${required}'`),
    };
  }
  const properties = Object.entries(shape.properties ?? {}).map(
    ([name, p]) => [name, deref<SchemaObject>(doc, p)] as const,
  );
  const enumerated = properties.find(([, p]) => p.enum?.length);
  if (enumerated) {
    const [name] = enumerated;
    return {
      body: { ...body, [name]: "NOT_AN_ALLOWED_VALUE" },
      what: `with ${name} outside its enum`,
      violation: /must be equal to one of the allowed values/,
    };
  }
  const typed = properties.find(
    ([, p]) => p.type === "string" || p.type === "integer" || p.type === "boolean",
  );
  if (typed) {
    const [name, p] = typed;
    return {
      body: { ...body, [name]: p.type === "string" ? 12345 : "not-a-" + p.type },
      what: `with ${name} of the wrong type`,
      violation: new RegExp(`must be ${p.type}`),
    };
  }
  return undefined;
}

function responseFor(operation: OperationObject, status: number): [string, ResponseObject] | undefined {
  const keys = [String(status), `${String(status)[0]}XX`, "default"];
  for (const key of keys) {
    const response = operation.responses[key];
    if (response) return [key, response as ResponseObject];
  }
  return undefined;
}

/** Builds the contract of every operation of the given documents, in document order. */
export function contractOperations(documents: readonly ContractDocument[]): ContractOperation[] {
  const validator = new SchemaValidator(documents);
  const result: ContractOperation[] = [];
  for (const { api, doc } of documents) {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!operation) continue;
        result.push(contractOperation(validator, api, doc, path, method, operation));
      }
    }
  }
  return result;
}

function contractOperation(
  validator: SchemaValidator,
  api: ApiName,
  doc: OpenApiDocument,
  path: string,
  method: HttpMethod,
  operation: OperationObject,
): ContractOperation {
  const item = doc.paths[path]!;
  const parameters = new Map<string, ParameterObject>();
  for (const p of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
    const parameter = deref<ParameterObject>(doc, p);
    parameters.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  const request: ContractRequest = { path: {}, query: {} };
  const required = [...parameters.values()].filter(
    (p) => p.in === "path" || (p.in === "query" && p.required),
  );
  for (const parameter of required) {
    const value = parameterValue(doc, parameter);
    if (parameter.in === "path") request.path[parameter.name] = String(value);
    else request.query[parameter.name] = value;
  }
  const requestBody = operation.requestBody ? deref(doc, operation.requestBody) : undefined;
  const media = jsonMedia(requestBody?.content)?.[1];
  const schema = media?.schema ? deref<SchemaObject>(doc, media.schema) : undefined;
  const notes: string[] = schema ? overlappingBranches(validator, api, doc, schema) : [];
  if (media) {
    const candidates = bodyCandidates(doc, media);
    const chosen = (schema && candidates.find((c) => validator.valid(api, schema, c.value))) ?? candidates[0];
    request.body = chosen?.value;
    if (chosen?.note) notes.push(`request body: ${chosen.note}`);
    else if (schema && !validator.valid(api, schema, chosen?.value))
      notes.push(`request body: no example or sample satisfies the schema`);
  }

  let invalid: InvalidRequest | undefined;
  const requiredQuery = required.filter((p) => p.in === "query");
  const enumerated = requiredQuery.find((p) => p.schema && deref<SchemaObject>(doc, p.schema).enum?.length);
  const body = request.body;
  if (enumerated) {
    invalid = {
      request: { ...request, query: { ...request.query, [enumerated.name]: "NOT_AN_ALLOWED_VALUE" } },
      what: `query parameter ${enumerated.name} outside its enum`,
      violation: /must be equal to one of the allowed values/,
    };
  } else if (requiredQuery[0]) {
    const { [requiredQuery[0].name]: _, ...rest } = request.query;
    invalid = {
      request: { ...request, query: rest },
      what: `without required query parameter ${requiredQuery[0].name}`,
      violation: new RegExp(`required property '${requiredQuery[0].name}'`),
    };
  } else if (schema && body !== null && typeof body === "object" && !Array.isArray(body)) {
    const broken = breakBody(
      doc,
      bodyShape(validator, api, doc, schema, body),
      body as Record<string, unknown>,
    );
    if (broken)
      invalid = {
        request: { ...request, body: broken.body },
        what: `a body ${broken.what}`,
        violation: broken.violation,
      };
  }

  const statuses = Object.keys(operation.responses);
  const validateResponse = (status: number, body: unknown): string[] => {
    const declared = responseFor(operation, status);
    if (!declared) return [`status ${status} is not declared`];
    const media = jsonMedia(deref<ResponseObject>(doc, declared[1]).content);
    if (!media)
      return body === undefined || body === "" ? [] : [`status ${declared[0]} declares no body, got one`];
    if (!media[1].schema) return [];
    return validator.problems(api, deref<SchemaObject>(doc, media[1].schema), body);
  };

  return {
    api,
    operationId: operation.operationId ?? `${method.toUpperCase()} ${path}`,
    method,
    path,
    successStatuses: statuses.filter((s) => /^2\d\d$/.test(s)).map(Number),
    errorStatuses: statuses.filter((s) => /^[45]/.test(s)),
    request,
    invalid,
    notes,
    validateResponse,
  };
}

/** A concrete status for a declared error status: itself, or a representative of a range. */
export function representativeStatus(declared: string): number {
  const range = /^([1-5])XX$/i.exec(declared);
  return range ? Number(range[1]) * 100 : Number(declared);
}

/** Extra headers of one call, e.g. `{ Prefer: "code=404" }` for Prism. */
export type CallHeaders = Record<string, string>;

/**
 * An SDK method called with a path template found at run time. The client's typed signatures
 * need literal templates; the contract iterates over the documents' operations instead, so its
 * calls go through this one untyped view.
 */
type UntypedMethod = (
  path: string,
  init: {
    params: { path: Record<string, string>; query: Record<string, unknown> };
    body?: unknown;
    headers?: CallHeaders;
  },
) => Promise<{ data: unknown; response: Response }>;

const SDK_METHODS = { get: "GET", post: "POST", put: "PUT", patch: "PATCH", delete: "DELETE" } as const;

/** Sends one request of an operation through the SDK client (auth, throttle, retries, errors). */
export function callOperation(
  astro: AstroClient,
  operation: Pick<ContractOperation, "api" | "method" | "path">,
  request: ContractRequest,
  headers: CallHeaders = {},
): Promise<{ data: unknown; response: Response }> {
  const name = SDK_METHODS[operation.method as keyof typeof SDK_METHODS];
  if (name === undefined) throw new Error(`the SDK has no method ${operation.method.toUpperCase()}`);
  const method = astro[operation.api][name] as unknown as UntypedMethod;
  return method(operation.path, {
    params: { path: request.path, query: request.query },
    ...(request.body === undefined ? {} : { body: request.body }),
    headers,
  });
}

/** The URL of a request to `baseUrl` (for sending it without the SDK, e.g. as a reference). */
export function operationUrl(
  baseUrl: string,
  operation: Pick<ContractOperation, "path">,
  request: ContractRequest,
): string {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(request.path[name] ?? ""),
  );
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query))
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
  const search = query.toString();
  return `${baseUrl}${path}${search ? `?${search}` : ""}`;
}
