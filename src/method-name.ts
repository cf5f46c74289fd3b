/**
 * `ListDeployments` → `listDeployments`: the name of an operation's method on its API client.
 * Kept free of imports so the generator can use the same rule without loading its own output.
 */
export function methodNameOf(operation: { readonly operationId: string }): string {
  return operation.operationId.charAt(0).toLowerCase() + operation.operationId.slice(1);
}
