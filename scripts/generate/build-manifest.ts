import type { DocumentName, OperationInfo, ResponseBody } from "../../src/operations/manifest.js";
import { deref } from "../openapi/deref.js";
import type { OpenApiDocument, ResponseObject, SchemaObject } from "../openapi/document.js";
import { operationsOf, parametersOf } from "../openapi/operations.js";
import { PipelineError } from "../shared/errors.js";
import { classify, type Overrides } from "./classify.js";
import { checkedMethodName } from "./method-names.js";
import { checkPathTemplate } from "./path-template.js";

/**
 * One operation as the generator derives it: what the runtime manifest carries (`OperationInfo`),
 * and what only the TSDoc of the generated types, the docs and the tests read (not shipped).
 */
export type ManifestEntry = OperationInfo & {
  /** The declared success status. */
  readonly successStatus: number;
  /** Declared error statuses as the spec writes them (`"404"`, `"4XX"`). */
  readonly errorStatuses: readonly string[];
  /** The document's one-line summary of the operation. */
  readonly summary?: string;
  readonly description?: string;
};

const MANIFEST_METHODS = new Set<string>(["get", "put", "post", "delete", "patch"]);

/** JSON when a JSON media type is declared, bytes for any other (`application/octet-stream`), else nothing. */
function responseBodyOf(success: ResponseObject): ResponseBody {
  const types = Object.keys(success.content ?? {});
  if (types.length === 0) return "empty";
  return types.some((type) => /^application\/(.+\+)?json$/i.test(type)) ? "json" : "binary";
}

function paginationOf(
  doc: OpenApiDocument,
  method: string,
  queryParams: OperationInfo["queryParams"],
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
export function buildManifest(
  api: DocumentName,
  doc: OpenApiDocument,
  overrides: Overrides,
): ManifestEntry[] {
  const entries: ManifestEntry[] = [];
  const seenIds = new Map<string, string>();
  for (const entry of operationsOf(doc).values()) {
    const { key: where, method, path, operation } = entry;
    const operationId = operation.operationId;
    if (!operationId)
      throw new PipelineError(`${api}: ${where} has no operationId; the manifest is keyed by it`);
    checkedMethodName(api, where, operationId);
    checkPathTemplate(api, where, path);
    if (!MANIFEST_METHODS.has(method))
      throw new PipelineError(`${api}: ${where} (${operationId}) uses a method the client does not send`);
    const previous = seenIds.get(operationId);
    if (previous)
      throw new PipelineError(`${api}: operationId ${operationId} is used by both ${previous} and ${where}`);
    seenIds.set(operationId, where);

    const parameters = [...parametersOf(doc, entry).values()];
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
    entries.push({
      api,
      operationId,
      method: method as OperationInfo["method"],
      path,
      kind,
      idempotent,
      ...paginationOf(doc, method, queryParams, success),
      pathParams,
      queryParams,
      body: requestBody ? (requestBody.required ? "required" : "optional") : "none",
      successStatus: Number(successKey),
      jsonResponse: success.content?.["application/json"] !== undefined,
      responseBody: responseBodyOf(success),
      errorStatuses: statuses.filter((s) => !/^2/.test(s) && s !== "default"),
      ...(operation.summary ? { summary: operation.summary } : {}),
      ...(operation.description ? { description: operation.description } : {}),
      ...(operation.deprecated ? { deprecated: true } : {}),
    });
  }
  return entries.sort((a, b) =>
    a.path === b.path ? a.method.localeCompare(b.method) : a.path < b.path ? -1 : 1,
  );
}
