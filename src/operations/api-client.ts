import { describeValue } from "../errors/describe-value.js";
import createClient from "openapi-fetch";
import type { DocumentName, OperationInfo } from "../../generated/operations.js";
import { checkOffset, checkPageSize, checkSignal } from "../client/checks.js";
import { callSettings } from "../client/config.js";
import { AstroConfigError, AstroError } from "../errors/error-classes.js";
import { MAX_DETAIL_LENGTH, safeLine } from "../errors/server-text.js";
import { methodNameOf } from "./manifest.js";
import { abortReason } from "../transport/abort-fanout.js";
import { CallRun, type Transport } from "../transport/call.js";
import { PlannedRequest } from "../transport/planned-request.js";
import { toPathCall } from "./operation-args.js";
import { callTarget, findOperation, indexOperations } from "./operation-index.js";
import { withOrganization } from "./organization.js";
import { checkCallHeaders } from "./call-headers.js";
import { checkPathParams, checkTemplate } from "./path-params.js";
import { paginate } from "./paginate.js";
import type { AstroMethod, CallOptions, OperationMethods, PaginateMethod } from "./signatures.js";
import { serializeQuery } from "./query-keys.js";

/**
 * A typed client of one Astro API: one method per HTTP method (path templates and parameters
 * checked at compile time from the generated `paths`), `paginate` for list operations, and every
 * operation as a method named after its operationId (`listDeployments`, `createTeam`…).
 *
 * Responses are typed as the spec declares them but are not validated at runtime: the API returns
 * only the attributes the token may see, so a field the spec marks required can be absent.
 */
export type ApiClient<Paths extends object, Operations, OperationIds, Paginated> = {
  /** Calls `GET` on a path template of this API, its parameters and body typed from the document. */
  GET: AstroMethod<Paths, "get">;
  /** Calls `POST` on a path template of this API, its parameters and body typed from the document. */
  POST: AstroMethod<Paths, "post">;
  /** Calls `PUT` on a path template of this API, its parameters and body typed from the document. */
  PUT: AstroMethod<Paths, "put">;
  /** Calls `PATCH` on a path template of this API, its parameters and body typed from the document. */
  PATCH: AstroMethod<Paths, "patch">;
  /** Calls `DELETE` on a path template of this API, its parameters and body typed from the document. */
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
  [key: string]: unknown;
};

/** A call by method and path; `itemsKey` when it fetches a page for `paginate`. */
type Call = (
  method: string,
  path: string,
  init?: Init,
  itemsKey?: string,
) => Promise<{ data: unknown; response: Response; fingerprint: string | undefined }>;

/**
 * Options of openapi-fetch a call may not set: each would bypass auth, throttling, retries or
 * the path checks, or send the token elsewhere (`baseUrl`). `redirect` too: with `"follow"`,
 * `fetch` would follow the server's redirects itself (to another origin, up to 20 hops, none
 * budgeted), where the transport follows them within the origin only (attempt.ts).
 */
const RESERVED: ReadonlySet<string> = new Set([
  "fetch",
  "middleware",
  "baseUrl",
  "Request",
  "pathSerializer",
  "parseAs",
  "redirect",
]);

/** Options the client reads itself and does not hand openapi-fetch. */
const OWN_OPTIONS = new Set(["maxRetries", "timeoutMs", "params", "signal"]);

/**
 * Builds the client of one document on openapi-fetch, each request run by the transport from a
 * per-call `fetch`. v1 requests carry `X-API-Version` (the config's minor) as a default header.
 */
export function createApiClient<Client>(
  api: DocumentName,
  operations: readonly OperationInfo[],
  transport: Transport,
): Client {
  indexOperations(api, operations);
  const { config } = transport;
  const versionHeader =
    api === "v1" && config.apiVersion !== undefined ? { "x-api-version": config.apiVersion } : undefined;
  // `redirect: "manual"`: the transport follows redirects itself, within the origin only (attempt.ts).
  const client = createClient<Record<string, never>>({
    baseUrl: config.urls[api],
    headers: versionHeader,
    redirect: "manual",
    // Query keys encoded like values: a key cannot add parameters of its own (query-keys.ts).
    querySerializer: serializeQuery,
    // What openapi-fetch builds is handed to the call's `fetch` unparsed: one undici Request per call.
    Request: PlannedRequest as unknown as typeof Request,
  });

  /** Checks a call's arguments and builds what openapi-fetch is given; throws before anything is sent. */
  const prepare = (method: string, path: string, init: Init, itemsKey: string | undefined) => {
    if (typeof path !== "string") {
      throw new AstroConfigError(`${method} takes a path template string, got ${typeof path}`);
    }
    if (init === null || typeof init !== "object") {
      throw new AstroConfigError(
        `the options of ${method} ${safeLine(path, 200)} must be an object, got ${init === null ? "null" : typeof init}`,
      );
    }
    const { maxRetries, timeoutMs, params } = init;
    const signal = checkSignal(init.signal);
    const target = callTarget(api, method, path);
    const operation = target.operation;
    // Read once: the headers checked are the ones openapi-fetch is given (a getter may answer anew).
    const headers: unknown = init.headers;
    if (headers !== undefined) checkCallHeaders(headers, callName(operation, method, path));
    // A template outside the manifest (JavaScript callers have no types) is the caller's own
    // path, but it too must be plain segments: nothing a URL parser would climb or cut.
    if (operation === undefined) checkTemplate(path);
    let filled = params;
    let pathParams = params?.path;
    if (target.templated) {
      const what = callName(operation, method, path);
      filled = withOrganization(path, params, config.organizationId, what);
      pathParams = checkPathParams(path, filled?.path, what);
    }
    const { retry, timeoutMs: attemptMs } = callSettings(config, { maxRetries, timeoutMs });
    // The call's `fetch` runs the whole call and answers with the server's own Response; openapi-fetch
    // is told not to parse it (`parseAs: "stream"`): the policy has parsed it once already. A
    // `fetch` rather than a middleware: openapi-fetch gives a middleware an id, a frozen options
    // object and an argument object per call (`npm run bench` measured the swap at about 1% of a call).
    const run = new CallRun(target, retry, attemptMs, itemsKey, signal, transport);
    // The caller's signal is the transport's (each attempt listens to it) and not openapi-fetch's:
    // a Request built with a signal follows it, which costs as much as the rest of the call.
    const options: Record<string, unknown> = {
      params: pathParams === filled?.path ? filled : { ...filled, path: pathParams },
      parseAs: "stream",
      fetch: run.fetch,
    };
    // The rest (body, headers, serialisers…) is openapi-fetch's to read; most calls have none, and
    // their options keep one small fixed shape, which openapi-fetch copies fast. Only what is
    // copied can reach openapi-fetch, so only that is checked against the reserved options.
    for (const key in init) {
      if (OWN_OPTIONS.has(key) || !Object.hasOwn(init, key)) continue;
      const value = key === "headers" ? headers : init[key];
      if (value === undefined) continue;
      if (RESERVED.has(key)) {
        throw new AstroConfigError(
          `per-call fetch and middleware are not supported, nor ${[...RESERVED].slice(2).join(", ")} ` +
            `(got ${key}): each would bypass the client's auth, throttling or retries; configure createAstroClient instead`,
        );
      }
      options[key] = value;
    }
    return { run, options };
  };

  const call: Call = async (method, path, init = {}, itemsKey) => {
    const { run, options } = prepare(method, path, init, itemsKey);
    try {
      // By its own method (GET, POST…): `request` would lower-case the method and upper-case it again.
      const { response } = await client[method as (typeof METHODS)[number]](path as never, options as never);
      return { data: run.data, response, fingerprint: run.fingerprint };
    } catch (error) {
      throw unbuilt(error, run.signal, callName(run.operation, method, path));
    }
  };

  const paginateCall = (path: string, init: Init = {}) => {
    if (init === null || typeof init !== "object") {
      throw new AstroConfigError(
        `the options of paginate must be an object, got ${init === null ? "null" : typeof init}`,
      );
    }
    const operation = typeof path === "string" ? findOperation(api, "GET", path) : undefined;
    if (!operation?.paginated || operation.itemsKey === undefined) {
      throw new AstroConfigError(
        `GET ${typeof path === "string" ? safeLine(path, 200) : describeValue(path)} is not a paginated operation of the ${api} API`,
      );
    }
    const { pageSize, ...rest } = init;
    return paginate(
      (offset, limit) =>
        call(
          "GET",
          path,
          { ...rest, params: { ...rest.params, query: { ...rest.params?.query, offset, limit } } },
          operation.itemsKey,
        ),
      operation.itemsKey,
      {
        pageSize: checkPageSize(pageSize),
        startOffset: checkOffset(init.params?.query?.offset),
        signal: checkSignal(init.signal),
      },
    );
  };

  const surface: Record<string, unknown> = { paginate: paginateCall };
  for (const name of METHODS) surface[name] = (path: string, init?: Init) => call(name, path, init);
  for (const operation of operations) {
    surface[methodNameOf(operation)] = (args?: Record<string, unknown>, options?: object) => {
      let target: ReturnType<typeof toPathCall>;
      try {
        target = toPathCall(operation, args, options);
      } catch (error) {
        return Promise.reject(error);
      }
      return call(target.method, target.path, target.init);
    };
  }
  return surface as Client;
}

/** How messages name a call: its operationId, or its method and template outside the manifest. */
function callName(operation: OperationInfo | undefined, method: string, path: string): string {
  // A caller's template is printable (checkTemplate) but of any length.
  return operation?.operationId ?? `${method} ${safeLine(path, 200)}`;
}

/**
 * What openapi-fetch threw before anything was sent (a body it cannot serialise, a header value
 * it cannot set…) as an `AstroConfigError`; the transport's own errors and the caller's abort
 * reason pass through.
 */
function unbuilt(error: unknown, signal: AbortSignal | undefined, what: string): unknown {
  if (error instanceof AstroError) return error;
  // The caller's abort, with its reason as it is: openapi-fetch takes a falsy one (`abort(null)`,
  // `abort(0)`) rejected by `fetch` for no error, and fails reading a response that is not there.
  if (signal?.aborted) return abortReason(signal);
  let message: string;
  try {
    message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    message = typeof error;
  }
  return new AstroConfigError(
    `${what}: the request could not be built, nothing was sent (${safeLine(message, MAX_DETAIL_LENGTH)})`,
  );
}
