import { operations, type ApiName, type OperationInfo } from "../../generated/operations.js";

const index = new Map<string, OperationInfo>();
for (const operation of operations)
  index.set(`${operation.api} ${operation.method} ${operation.path}`, operation);

/**
 * The manifest entry of a call, by API, method and path template. Keyed by the template (not the
 * URL), so IAM's two templates that match the same URLs (`roles/{customRoleId}` for DELETE and
 * POST, `roles/{roleId}` for GET) never get confused.
 */
export function findOperation(api: ApiName, method: string, path: string): OperationInfo | undefined {
  return index.get(`${api} ${method.toLowerCase()} ${path}`);
}

/** The operations of one API. */
export function operationsOf(api: ApiName): OperationInfo[] {
  return operations.filter((operation) => operation.api === api);
}
