import type { DocumentName, OperationInfo } from "../../generated/operations.js";
import type { RequestRecord } from "../errors/request-record.js";
import { methodClass, type MethodClass } from "../throttle/limits.js";

/** What a call by method and path knows before it starts. */
export interface CallTarget {
  readonly operation: OperationInfo | undefined;
  /** Shared by every call of the operation: errors and events copy it. */
  readonly record: RequestRecord;
  readonly idempotent: boolean;
  /** Whose budget its attempts take. */
  readonly methodClass: MethodClass;
  /** Whether the template has parameters (`{…}`) to fill and check. */
  readonly templated: boolean;
}

/** Methods that may be repeated when an operation is not in the manifest. */
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/**
 * The manifest entries by document, then `method path`: each client's module hands its own
 * document's operations in (`indexOperations`), so an entry point carries only the manifest of
 * the API it serves.
 */
const indexes = new Map<DocumentName, Map<string, OperationInfo>>();

/** Indexes the operations of `api` (once per document, whatever the number of clients). */
export function indexOperations(api: DocumentName, operations: readonly OperationInfo[]): void {
  if (indexes.has(api)) return;
  const index = new Map<string, OperationInfo>();
  for (const operation of operations) index.set(`${operation.method} ${operation.path}`, operation);
  indexes.set(api, index);
}

/** Targets by document, method (upper-case, as called) and template: no key is built per call. */
const targets: Record<DocumentName, Map<string, Map<string, CallTarget>>> = {
  v1: new Map(),
  platform: new Map(),
  iam: new Map(),
};

/**
 * The manifest entry of a call, by document, method and path template. Keyed by the template (not
 * the URL), so IAM's two templates that match the same URLs (`roles/{customRoleId}` for DELETE and
 * POST, `roles/{roleId}` for GET) never get confused.
 */
export function findOperation(api: DocumentName, method: string, path: string): OperationInfo | undefined {
  return indexes.get(api)?.get(`${method.toLowerCase()} ${path}`);
}

/**
 * The target of a call (`method` upper-case): its manifest entry, record and idempotency, made
 * once per operation (a path outside the manifest gets a fresh one each time, so what callers
 * invent is never kept).
 */
export function callTarget(api: DocumentName, method: string, path: string): CallTarget {
  const byPath = targets[api].get(method);
  const known = byPath?.get(path);
  if (known) return known;
  const operation = findOperation(api, method, path);
  const target: CallTarget = Object.freeze({
    operation,
    record: Object.freeze({ api, method, path, operationId: operation?.operationId }),
    idempotent: operation?.idempotent ?? IDEMPOTENT_METHODS.has(method),
    methodClass: methodClass(method),
    templated: path.includes("{"),
  });
  if (operation) {
    if (byPath) byPath.set(path, target);
    else targets[api].set(method, new Map([[path, target]]));
  }
  return target;
}
