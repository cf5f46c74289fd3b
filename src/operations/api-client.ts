import createClient from "openapi-fetch";
import type { ApiName } from "../../generated/operations.js";
import { checkPageSize } from "../client/checks.js";
import { callSettings, type ClientConfig } from "../client/config.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { methodNameOf } from "./manifest.js";
import type { Throttle } from "../throttle/throttle.js";
import { send, type CallContext } from "../transport/send.js";
import { toPathCall } from "./operation-args.js";
import { findOperation, operationsOf } from "./operation-index.js";
import { withOrganization } from "./organization.js";
import { paginate } from "./paginate.js";
import type { AstroMethod, CallOptions, OperationMethods, PaginateMethod } from "./signatures.js";

/**
 * A typed client of one Astro API: one method per HTTP method (path templates and parameters
 * checked at compile time from the generated `paths`), `paginate` for list operations, and every
 * operation as a method named after its operationId (`listDeployments`, `createTeam`…).
 *
 * Responses are typed as the spec declares them but are not validated at runtime: the API returns
 * only the attributes the token may see, so a field the spec marks required can be absent.
 */
export type ApiClient<Paths extends object, Operations, OperationIds, Paginated> = {
  GET: AstroMethod<Paths, "get">;
  POST: AstroMethod<Paths, "post">;
  PUT: AstroMethod<Paths, "put">;
  PATCH: AstroMethod<Paths, "patch">;
  DELETE: AstroMethod<Paths, "delete">;
  /**
   * The items of a paginated list across pages, fetched as they are consumed:
   * `for await (const d of astro.platform.paginate("/organizations/{organizationId}/deployments")) …`.
   * `pageSize` (default 1,000) sets the items per request.
   */
  paginate: PaginateMethod<Paths, Paginated>;
} & OperationMethods<Operations, OperationIds>;

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type Init = CallOptions & {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown> };
  signal?: AbortSignal;
  pageSize?: number;
  fetch?: unknown;
  middleware?: unknown;
  [key: string]: unknown;
};

type Call = (method: string, path: string, init?: Init) => Promise<{ data: unknown; response: Response }>;

/** Builds the client of one API on openapi-fetch, routing every request through `send`. */
export function createApiClient<Client>(
  api: ApiName,
  config: ClientConfig,
  throttle: Throttle | undefined,
): Client {
  // openapi-fetch hands our fetch a Request; the call's context travels beside it.
  const contexts = new WeakMap<Request, CallContext>();
  const client = createClient<Record<string, never>>({
    baseUrl: config.urls[api],
    fetch: (request: Request) => {
      const context = contexts.get(request);
      if (!context)
        return Promise.reject(
          new AstroConfigError("a request reached the transport without its call context"),
        );
      return send(request, context, config, throttle);
    },
  });

  const call: Call = async (method, path, init = {}) => {
    const { maxRetries, timeoutMs, fetch, middleware, params, ...rest } = init;
    if (fetch !== undefined || middleware !== undefined) {
      // Either would bypass auth, throttling and retries.
      throw new AstroConfigError(
        "per-call fetch and middleware are not supported; configure createAstroClient instead",
      );
    }
    const operation = findOperation(api, method, path);
    const context: CallContext = {
      record: { api, method, path, operationId: operation?.operationId },
      operation,
      ...callSettings(config, { maxRetries, timeoutMs }),
    };
    const filled = withOrganization(
      path,
      params,
      config.organizationId,
      operation?.operationId ?? `${method} ${path}`,
    );
    const result = await client.request(
      method.toLowerCase() as "get",
      path as never,
      {
        ...rest,
        params: filled,
        middleware: [
          {
            onRequest: ({ request }: { request: Request }) => {
              contexts.set(request, context);
            },
          },
        ],
      } as never,
    );
    return { data: result.data, response: result.response };
  };

  const paginateCall = (path: string, init: Init = {}) => {
    const operation = findOperation(api, "GET", path);
    if (!operation?.paginated || operation.itemsKey === undefined) {
      throw new AstroConfigError(`GET ${path} is not a paginated operation of the ${api} API`);
    }
    const { pageSize, ...rest } = init;
    const startOffset = Number(init.params?.query?.offset ?? 0);
    return paginate(
      (offset, limit) =>
        call("GET", path, {
          ...rest,
          params: { ...rest.params, query: { ...rest.params?.query, offset, limit } },
        }),
      operation.itemsKey,
      { pageSize: checkPageSize(pageSize), startOffset, signal: init.signal },
    );
  };

  const surface: Record<string, unknown> = { paginate: paginateCall };
  for (const name of METHODS) surface[name] = (path: string, init?: Init) => call(name, path, init);
  for (const operation of operationsOf(api)) {
    surface[methodNameOf(operation)] = async (args?: Record<string, unknown>, options?: object) => {
      const { method, path, init } = toPathCall(operation, args, options);
      return call(method, path, init);
    };
  }
  return surface as Client;
}
