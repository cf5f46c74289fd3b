import { operationsByDocument, type DocumentName, type OperationInfo } from "../../generated/operations.js";

const index = new Map<string, OperationInfo>();
for (const list of Object.values(operationsByDocument) as readonly (readonly OperationInfo[])[])
  for (const operation of list)
    index.set(`${operation.api} ${operation.method} ${operation.path}`, operation);

/**
 * The manifest entry of a call, by document, method and path template. Keyed by the template (not
 * the URL), so IAM's two templates that match the same URLs (`roles/{customRoleId}` for DELETE and
 * POST, `roles/{roleId}` for GET) never get confused.
 */
export function findOperation(api: DocumentName, method: string, path: string): OperationInfo | undefined {
  return index.get(`${api} ${method.toLowerCase()} ${path}`);
}

/** The operations of one document. */
export function operationsOf(api: DocumentName): readonly OperationInfo[] {
  return operationsByDocument[api];
}
