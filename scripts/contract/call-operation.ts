import type { DocumentName } from "../../src/operations/manifest.js";
import type { ContractOperation, ContractRequest } from "./contract-operations.js";

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

/** The SDK client of each document: the v1 client itself, the v1beta1 client's `platform` and `iam`. */
export type DocumentClients = Partial<Record<DocumentName, object>>;

/** Sends one request of an operation through the SDK client of its document (auth, throttle, retries, errors). */
export function callOperation(
  clients: DocumentClients,
  operation: Pick<ContractOperation, "api" | "method" | "path">,
  request: ContractRequest,
  headers: CallHeaders = {},
): Promise<{ data: unknown; response: Response }> {
  const name = SDK_METHODS[operation.method as keyof typeof SDK_METHODS];
  if (name === undefined) throw new Error(`the SDK has no method ${operation.method.toUpperCase()}`);
  const client = clients[operation.api];
  if (client === undefined) throw new Error(`no client given for the ${operation.api} document`);
  const method = (client as Record<string, unknown>)[name] as UntypedMethod;
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
