/**
 * The path side of the fake's model (scripts/generate/fake-model.ts): each operation's role by
 * its path shape, the collection it acts on, what its success answer holds, and the component
 * schema of each collection's records.
 */
import type { FakeRole } from "../../src/testing/model.js";
import type { FakeModelSource } from "./fake-model.js";
import { refName, resolve, type Json } from "./fake-model-schemas.js";

const METHODS = ["get", "post", "delete"] as const;

function isParam(segment: string | undefined): boolean {
  return segment !== undefined && /^\{[^}]+\}$/.test(segment);
}

function parent(path: string): string {
  return path.slice(0, path.lastIndexOf("/"));
}

function successOf(operation: Json): [number, Json | undefined] {
  const responses = operation.responses as Record<string, Json>;
  const status = Object.keys(responses)
    .filter((s) => /^2\d\d$/.test(s))
    .sort()[0];
  if (status === undefined) throw new Error(`${String(operation.operationId)} declares no 2xx response`);
  return [Number(status), responses[status]];
}

export interface Classified {
  path: string;
  method: (typeof METHODS)[number];
  operation: Json;
  operationId: string;
  role: FakeRole;
  collection: string | undefined;
  status: number;
  contentType: string | undefined;
  schema: unknown;
  schemaName: string | undefined;
  itemsKey: string | undefined;
  itemSchemaName: string | undefined;
}

/** Role by path shape (see `FakeRole`), and what the success answer holds. */
export function classify(doc: FakeModelSource, schemas: Record<string, Json>): Classified[] {
  const paths = Object.keys(doc.paths);
  const hasItems = (collection: string): boolean =>
    paths.some((p) => parent(p) === collection && isParam(p.split("/").pop()));
  const getSchemaOf = (path: string): string | undefined => {
    const get = doc.paths[path]?.get as Json | undefined;
    if (!get) return undefined;
    const content = successOf(get)[1]?.content as Record<string, Json> | undefined;
    return refName(content?.["application/json"]?.schema);
  };
  const out: Classified[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const [status, response] = successOf(operation);
      const content = response?.content as Record<string, { schema?: unknown }> | undefined;
      const contentType = content ? Object.keys(content)[0] : undefined;
      const schema = contentType ? content![contentType]!.schema : undefined;
      const schemaName = refName(schema);
      const last = path.split("/").pop();
      const bodyProps = ((resolve(schemas, schema ?? {}) ?? {}).properties ?? {}) as Record<string, Json>;
      // A page may hold several arrays (roles: `defaultRoles`, `roles`): the one named after the path wins.
      const named = (last ?? "").replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
      const arrays = Object.keys(bodyProps).filter((k) => bodyProps[k]!.type === "array");
      const itemsKey =
        method === "get" && "totalCount" in bodyProps
          ? arrays.includes(named)
            ? named
            : arrays[0]
          : undefined;
      let role: FakeRole = "static";
      let collection: string | undefined;
      if (isParam(last))
        [role, collection] = [
          ({ get: "read", post: "update", delete: "delete" } as const)[method],
          parent(path),
        ];
      else if (itemsKey !== undefined) [role, collection] = ["list", path];
      else if (method === "post" && hasItems(path)) [role, collection] = ["create", path];
      else if (method === "post" && schemaName && getSchemaOf(parent(path)) === schemaName)
        [role, collection] = ["itemAction", parent(parent(path))];
      const itemSchemaName = itemsKey ? refName(bodyProps[itemsKey]!.items) : undefined;
      out.push({
        path,
        method,
        operation,
        operationId: String(operation.operationId),
        role,
        collection,
        status,
        contentType,
        schema,
        schemaName,
        itemsKey,
        itemSchemaName,
      });
    }
  }
  return out;
}

/**
 * The component schema of each collection's records: what its item GET answers, else a list's
 * item, else what its create answers (a create may answer less than the record: `{ id }`).
 */
export function recordSchemas(operations: readonly Classified[]): Map<string, string> {
  const records = new Map<string, string>();
  const rank = { read: 0, list: 1, create: 2 } as Partial<Record<FakeRole, number>>;
  const sorted = [...operations].sort((a, b) => (rank[a.role] ?? 9) - (rank[b.role] ?? 9));
  for (const op of sorted) {
    const name = op.role === "list" ? op.itemSchemaName : op.role in rank ? op.schemaName : undefined;
    if (op.collection !== undefined && name !== undefined && !records.has(op.collection))
      records.set(op.collection, name);
  }
  return records;
}
