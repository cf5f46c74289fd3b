import type { FakeModel, FakeOperation } from "./model.js";

/** An operation matched to a concrete path, with the values of its path parameters. */
export interface RouteMatch {
  readonly operation: FakeOperation;
  readonly params: Readonly<Record<string, string>>;
  /** The concrete collection path (`/organizations/o1/deployments`), when the operation has one. */
  readonly collectionPath: string | undefined;
}

export type RouteResult =
  | { kind: "match"; match: RouteMatch }
  | { kind: "method-not-allowed"; allowed: string[] }
  | { kind: "not-found" };

interface Route {
  operation: FakeOperation;
  segments: string[];
  /** Literal segments count: `/ranges/bulk-create` wins over `/ranges/{id}`. */
  literals: number;
  /** The template with parameter names erased: `/roles/{customRoleId}` and `/roles/{roleId}` are one shape. */
  shape: string;
}

function isParam(segment: string): boolean {
  return segment.startsWith("{") && segment.endsWith("}");
}

/** Fills a template's parameters from `params` (values are already-decoded path segments). */
export function fillTemplate(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
}

/**
 * Matches request paths (relative to the base path) to the model's operations by segments;
 * templates are grouped by segment count so a lookup compares a handful of candidates.
 */
export function createRouter(model: FakeModel): (method: string, path: string) => RouteResult {
  const byLength = new Map<number, Route[]>();
  for (const operation of model.operations) {
    const segments = operation.path.split("/").slice(1);
    const route = {
      operation,
      segments,
      literals: segments.filter((s) => !isParam(s)).length,
      shape: segments.map((s) => (isParam(s) ? "{}" : s)).join("/"),
    };
    const list = byLength.get(segments.length) ?? [];
    list.push(route);
    byLength.set(segments.length, list);
  }
  for (const list of byLength.values()) list.sort((a, b) => b.literals - a.literals);

  return (method, path) => {
    const raw = path.split("/").slice(1);
    let segments: string[];
    try {
      segments = raw.map(decodeURIComponent);
    } catch {
      return { kind: "not-found" };
    }
    // An empty segment (`//`, a trailing `/`) or a dot segment never names a resource.
    // An id with an encoded `/` would make two different resources share one path.
    if (segments.some((s) => s === "" || s === "." || s === ".." || s.includes("/")))
      return { kind: "not-found" };
    const allowed: string[] = [];
    let shape: string | undefined;
    for (const route of byLength.get(segments.length) ?? []) {
      const params: Record<string, string> = {};
      const fits = route.segments.every((s, i) =>
        isParam(s) ? ((params[s.slice(1, -1)] = segments[i]!), true) : s === segments[i],
      );
      if (!fits) continue;
      // Only routes of the best-fitting shape count: a literal segment outranks a parameter.
      if (shape !== undefined && shape !== route.shape) continue;
      shape = route.shape;
      if (route.operation.method !== method.toLowerCase()) {
        allowed.push(route.operation.method.toUpperCase());
        continue;
      }
      const { collection } = route.operation;
      const collectionPath = collection === undefined ? undefined : fillTemplate(collection, params);
      return { kind: "match", match: { operation: route.operation, params, collectionPath } };
    }
    return allowed.length ? { kind: "method-not-allowed", allowed } : { kind: "not-found" };
  };
}
