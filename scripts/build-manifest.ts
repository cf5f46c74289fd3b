import { classify, type OperationKind, type Overrides } from "./classify.js";
import { PipelineError } from "./errors.js";
import {
  HTTP_METHODS,
  type OpenApiDocument,
  type ParameterObject,
  type ParameterOrRef,
  type Reference,
  type ResponseObject,
  type SchemaObject,
} from "./parse-spec.js";
import type { ApiName } from "./pins.js";

/** One operation as the runtime sees it. Mirrors `OperationInfo` in `generated/operations.ts`. */
export interface ManifestEntry {
  api: ApiName;
  operationId: string;
  method: string;
  path: string;
  kind: OperationKind;
  idempotent: boolean;
  /** Takes `offset`/`limit` and answers with `totalCount`. */
  paginated: boolean;
  /** The array property holding a page's items, for paginated operations. */
  itemsKey?: string;
  pathParams: string[];
  queryParams: { name: string; required: boolean; array: boolean }[];
  body: "none" | "optional" | "required";
  /** The declared success status. */
  successStatus: number;
  /** Whether the success response declares a JSON body. */
  jsonResponse: boolean;
  /** Declared error statuses as written in the spec (`404`, `4XX`). */
  errorStatuses: string[];
  summary?: string;
  /** Only for TSDoc of generated types; not part of the runtime manifest. */
  description?: string;
  deprecated?: boolean;
}

function isRef(value: unknown): value is Reference {
  return typeof value === "object" && value !== null && "$ref" in value;
}

/** Follows local `#/…` references; the documents have no external ones. */
export function deref<T>(doc: OpenApiDocument, value: T | Reference, seen = new Set<string>()): T {
  if (!isRef(value)) return value;
  if (seen.has(value.$ref)) throw new PipelineError(`circular $ref ${value.$ref}`);
  seen.add(value.$ref);
  if (!value.$ref.startsWith("#/")) throw new PipelineError(`unsupported external $ref ${value.$ref}`);
  let node: unknown = doc;
  for (const raw of value.$ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (node === undefined) throw new PipelineError(`$ref ${value.$ref} points at nothing`);
  return deref(doc, node as T | Reference, seen);
}

function paginationOf(
  doc: OpenApiDocument,
  method: string,
  queryParams: ManifestEntry["queryParams"],
  success: ResponseObject | undefined,
): { paginated: boolean; itemsKey?: string } {
  if (method !== "get") return { paginated: false };
  const names = new Set(queryParams.map((q) => q.name));
  if (!names.has("offset") || !names.has("limit")) return { paginated: false };
  const schemaRef = success?.content?.["application/json"]?.schema;
  if (!schemaRef) return { paginated: false };
  const schema = deref<SchemaObject>(doc, schemaRef);
  const properties = schema.properties ?? {};
  if (!("totalCount" in properties)) return { paginated: false };
  const arrays = Object.entries(properties)
    .filter(([, property]) => deref<SchemaObject>(doc, property).type === "array")
    .map(([name]) => name);
  // ListRoles answers `roles` (required) and `defaultRoles` (optional): the required array is the page.
  const required = arrays.filter((name) => schema.required?.includes(name));
  const candidates = required.length > 0 ? required : arrays;
  return candidates.length === 1 ? { paginated: true, itemsKey: candidates[0] } : { paginated: false };
}

/** Builds the manifest of one document, sorted by path then method so output is stable. */
export function buildManifest(api: ApiName, doc: OpenApiDocument, overrides: Overrides): ManifestEntry[] {
  const entries: ManifestEntry[] = [];
  const seenIds = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const operationId = operation.operationId;
      if (!operationId)
        throw new PipelineError(`${api}: ${where} has no operationId; the manifest is keyed by it`);
      const previous = seenIds.get(operationId);
      if (previous)
        throw new PipelineError(
          `${api}: operationId ${operationId} is used by both ${previous} and ${where}`,
        );
      seenIds.set(operationId, where);

      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(
        (p: ParameterOrRef) => deref<ParameterObject>(doc, p),
      );
      const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const queryParams = parameters
        .filter((p) => p.in === "query")
        .map((p) => ({
          name: p.name,
          required: p.required === true,
          array: p.schema !== undefined && deref<SchemaObject>(doc, p.schema).type === "array",
        }));
      const requestBody = operation.requestBody ? deref(doc, operation.requestBody) : undefined;
      const statuses = Object.keys(operation.responses ?? {});
      const successKey = statuses.filter((s) => /^2\d\d$/.test(s)).sort()[0];
      if (!successKey) throw new PipelineError(`${api}: ${where} (${operationId}) declares no 2xx response`);
      const success = deref<ResponseObject>(doc, operation.responses[successKey]!);
      const { kind, idempotent } = classify(api, method, path, operationId, overrides);
      const entry: ManifestEntry = {
        api,
        operationId,
        method,
        path,
        kind,
        idempotent,
        ...paginationOf(doc, method, queryParams, success),
        pathParams,
        queryParams,
        body: requestBody ? (requestBody.required ? "required" : "optional") : "none",
        successStatus: Number(successKey),
        jsonResponse: success.content?.["application/json"] !== undefined,
        errorStatuses: statuses.filter((s) => !/^2/.test(s) && s !== "default"),
      };
      if (operation.summary) entry.summary = operation.summary;
      if (operation.description) entry.description = operation.description;
      if (operation.deprecated) entry.deprecated = true;
      entries.push(entry);
    }
  }
  return entries.sort((a, b) =>
    a.path === b.path ? a.method.localeCompare(b.method) : a.path < b.path ? -1 : 1,
  );
}
