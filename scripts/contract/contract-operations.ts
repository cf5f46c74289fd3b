import type { HttpMethod } from "openapi-typescript-helpers";
import type { DocumentName } from "../../src/operations/manifest.js";
import { deref } from "../openapi/deref.js";
import type { OpenApiDocument, OperationObject, ResponseObject, SchemaObject } from "../openapi/document.js";
import { operationsOf, parametersOf, type OperationEntry } from "../openapi/operations.js";
import type { ContractDocument } from "./contract-documents.js";
import {
  bodyCandidates,
  bodyShape,
  breakBody,
  jsonMedia,
  overlappingBranches,
  parameterValue,
} from "./request-values.js";
import { SchemaValidator } from "./schema-validator.js";

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

export interface ContractOperation<D extends DocumentName = DocumentName> {
  api: D;
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

/** A body of bytes, in any of the forms a client may hand them over. */
function isBytes(body: unknown): boolean {
  return (
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer ||
    body instanceof Blob ||
    body instanceof ReadableStream
  );
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
export function contractOperations<D extends DocumentName>(
  documents: readonly ContractDocument<D>[],
): ContractOperation<D>[] {
  const validator = new SchemaValidator(documents);
  const result: ContractOperation<D>[] = [];
  for (const { api, doc } of documents) {
    for (const entry of operationsOf(doc).values())
      result.push(contractOperation(validator, api, doc, entry));
  }
  return result;
}

function contractOperation<D extends DocumentName>(
  validator: SchemaValidator,
  api: D,
  doc: OpenApiDocument,
  entry: OperationEntry,
): ContractOperation<D> {
  const { method, path, operation } = entry;
  const parameters = parametersOf(doc, entry);
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
    const content = deref<ResponseObject>(doc, declared[1]).content;
    const media = jsonMedia(content);
    const binary = Object.keys(content ?? {})[0];
    if (!media && binary !== undefined)
      // Bytes the SDK hands over untouched (GetOrganizationAuditLogs): their schema describes no JSON.
      return isBytes(body) ? [] : [`status ${declared[0]} declares ${binary}, got no bytes`];
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
