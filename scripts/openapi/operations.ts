import type { HttpMethod } from "openapi-typescript-helpers";
import { deref } from "./deref.js";
import type { OpenApiDocument, OperationObject, ParameterObject, PathItem } from "./document.js";

/** The methods a path item may hold, in the order OpenAPI lists them. */
export const HTTP_METHODS: readonly HttpMethod[] = [
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
  "trace",
];

/** One operation of a document and where it sits. */
export interface OperationEntry {
  /** `GET /organizations/{organizationId}`: how an operation is named in diffs and messages. */
  key: string;
  method: HttpMethod;
  path: string;
  item: PathItem;
  operation: OperationObject;
}

/** The key that names an operation everywhere in a diff: `GET /organizations/{organizationId}`. */
export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Orders `METHOD /path` keys by path, then method, like the generated manifest. */
export function compareOperationKeys(a: string, b: string): number {
  const [ma, pa] = a.split(" ") as [string, string];
  const [mb, pb] = b.split(" ") as [string, string];
  return pa === pb ? ma.localeCompare(mb) : pa < pb ? -1 : 1;
}

/** Every operation of a document, in document order, keyed by `METHOD /path`. */
export function operationsOf(doc: OpenApiDocument): Map<string, OperationEntry> {
  const out = new Map<string, OperationEntry>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) {
        const key = operationKey(method, path);
        out.set(key, { key, method, path, item, operation });
      }
    }
  }
  return out;
}

/**
 * The parameters that apply to an operation, keyed `in:name`: the path item's, each overridden
 * by the operation's own with the same `in` and `name` (OpenAPI's rule), in first-declared order.
 */
export function parametersOf(
  doc: OpenApiDocument,
  entry: Pick<OperationEntry, "item" | "operation">,
): Map<string, ParameterObject> {
  const out = new Map<string, ParameterObject>();
  for (const raw of [...(entry.item.parameters ?? []), ...(entry.operation.parameters ?? [])]) {
    const parameter = deref<ParameterObject>(doc, raw);
    out.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  return out;
}
