import createClient from "openapi-fetch";
import type { ApiName } from "../generated/operations.js";
import { AstroConfigError } from "./errors.js";
import { findOperation } from "./operation-index.js";
import { checkTimeout } from "./options.js";
import { checkRetry, type RetryPolicy } from "./retry.js";
import { send, type CallContext, type Transport } from "./send.js";
import type { AstroMethod, CallOptions } from "./types.js";

/**
 * A typed client of one Astro API: one method per HTTP method, path templates and parameters
 * checked at compile time from the generated `paths`.
 *
 * Responses are typed as the spec declares them but are not validated at runtime: the API returns
 * only the attributes the token may see, so a field the spec marks required can be absent.
 */
export interface ApiClient<Paths extends object> {
  GET: AstroMethod<Paths, "get">;
  POST: AstroMethod<Paths, "post">;
  PUT: AstroMethod<Paths, "put">;
  PATCH: AstroMethod<Paths, "patch">;
  DELETE: AstroMethod<Paths, "delete">;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type Init = CallOptions & { fetch?: unknown; middleware?: unknown; [key: string]: unknown };

/** Builds the client of one API on openapi-fetch, routing every request through `send`. */
export function createApiClient<Paths extends object>(
  api: ApiName,
  baseUrl: string,
  transport: Transport,
  defaults: { retry: RetryPolicy; timeoutMs: number },
): ApiClient<Paths> {
  // openapi-fetch hands our fetch a Request; the call's context travels beside it.
  const contexts = new WeakMap<Request, CallContext>();
  const client = createClient<Record<string, never>>({
    baseUrl,
    fetch: (request: Request) => {
      const context = contexts.get(request);
      if (!context)
        return Promise.reject(
          new AstroConfigError("a request reached the transport without its call context"),
        );
      return send(request, context, transport);
    },
  });

  const method =
    (name: (typeof METHODS)[number]) =>
    async (path: string, init: Init = {}): Promise<{ data: unknown; response: Response }> => {
      const { maxRetries, timeoutMs, fetch, middleware, ...rest } = init;
      if (fetch !== undefined || middleware !== undefined) {
        // Either would bypass auth, throttling and retries.
        throw new AstroConfigError(
          "per-call fetch and middleware are not supported; configure createAstroClient instead",
        );
      }
      const context: CallContext = {
        api,
        path,
        operation: findOperation(api, name, path),
        retry: maxRetries === undefined ? defaults.retry : checkRetry({ maxRetries }, defaults.retry),
        timeoutMs: timeoutMs === undefined ? defaults.timeoutMs : checkTimeout(timeoutMs),
      };
      const result = await client.request(
        name.toLowerCase() as Lowercase<typeof name>,
        path as never,
        {
          ...(rest as object),
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

  return Object.fromEntries(METHODS.map((name) => [name, method(name)])) as unknown as ApiClient<Paths>;
}
