import type { OperationInfo } from "../../generated/operations.js";
import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { methodNameOf } from "./manifest.js";

/** What an operation method hands to the path-based call. */
export interface PathCall {
  method: string;
  path: string;
  init: {
    params: { path: Record<string, unknown>; query: Record<string, unknown> };
    body?: unknown;
    [key: string]: unknown;
  };
}

/**
 * Splits an operation method's flat argument into path params, query params and body, by the
 * manifest. A key the operation does not have is an error (JavaScript callers have no types to
 * catch a typo, and a silently dropped filter would return the wrong data).
 */
export function toPathCall(
  operation: OperationInfo,
  args: Record<string, unknown> = {},
  options: object = {},
): PathCall {
  const name = `${methodNameOf(operation)}()`;
  if (args === null || typeof args !== "object" || Array.isArray(args)) {
    throw new AstroConfigError(`${name} takes an object of parameters, got ${kindOf(args)}`);
  }
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new AstroConfigError(`${name} takes an object of call options, got ${kindOf(options)}`);
  }
  const path: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  const pathNames = new Set(operation.pathParams);
  const queryNames = new Set(operation.queryParams.map((q) => q.name));
  let body: unknown;
  for (const [key, value] of Object.entries(args)) {
    if (key === "body" && operation.body !== "none") body = value;
    else if (pathNames.has(key)) path[key] = value;
    else if (queryNames.has(key)) query[key] = value;
    else {
      const known = [...pathNames, ...queryNames, ...(operation.body === "none" ? [] : ["body"])];
      throw new AstroConfigError(
        // The caller's key as one bounded, printable line: it may be any text (a JSON body's keys).
        `${name} has no parameter ${describeValue(key)}; it takes ${known.length > 0 ? known.join(", ") : "none"}`,
      );
    }
  }
  return {
    method: operation.method.toUpperCase(),
    path: operation.path,
    init: { ...options, params: { path, query }, ...(body === undefined ? {} : { body }) },
  };
}

function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}
