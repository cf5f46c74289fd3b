import { inspect } from "node:util";
import type { paths as IamPaths } from "../generated/iam.js";
import type { paths as PlatformPaths } from "../generated/platform.js";
import { createApiClient, type ApiClient } from "./api-client.js";
import { eventSink } from "./events.js";
import { checkTimeout, checkUserAgent, resolveUrls, type AstroClientOptions } from "./options.js";
import { checkRetry } from "./retry.js";
import type { Transport } from "./send.js";
import type { LimiterCounts } from "./throttle/limiter.js";
import type { MethodClass } from "./throttle/limits.js";
import { Throttle } from "./throttle/throttle.js";
import { tokenProvider } from "./token.js";
import { VERSION } from "./version.js";

/** A client of both Astro APIs sharing one auth, throttle, retry and error pipeline. */
export interface AstroClient {
  /** Organizations, clusters, deployments, deploys, workspaces. */
  readonly platform: ApiClient<PlatformPaths>;
  /** Users, teams, API tokens, roles, invites, allowed IP ranges. */
  readonly iam: ApiClient<IamPaths>;
  /** Requests waiting for budget and in flight, per method class (zero when throttling is off). */
  stats(): Record<MethodClass, LimiterCounts>;
}

function processEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

/**
 * Creates a client of the Astro Platform and IAM APIs.
 *
 * ```ts
 * const astro = createAstroClient({ token: process.env.ASTRO_API_TOKEN });
 * const { data } = await astro.platform.GET("/organizations/{organizationId}/deployments", {
 *   params: { path: { organizationId }, query: { limit: 50 } },
 * });
 * ```
 *
 * Every call sends `Authorization: Bearer <token>`, waits for the token's rate-limit budget,
 * retries what is safe to retry (429 always; 5xx, resets and timeouts only for idempotent
 * operations), resolves `{ data, response }` on 2xx and rejects with an `AstroApiError` subclass
 * otherwise. Responses are not validated against the spec: the API returns only the attributes
 * a token may see, so fields the spec marks required can be missing.
 *
 * @throws AstroConfigError when an option is unusable (no token, a token with whitespace, a bad URL, negative limits…).
 */
export function createAstroClient(options: AstroClientOptions = {}): AstroClient {
  const token = tokenProvider(options.token, processEnv());
  const urls = resolveUrls(options);
  const retry = checkRetry({
    maxRetries: options.maxRetries,
    initialDelayMs: options.initialDelayMs,
    maxDelayMs: options.maxDelayMs,
    maxRetryAfterMs: options.maxRetryAfterMs,
  });
  const timeoutMs = checkTimeout(options.timeoutMs);
  const userAgent = checkUserAgent(options.userAgent);
  const throttle = options.throttle === false ? undefined : new Throttle(options.throttle);
  const fetchImpl = options.fetch ?? ((url: string, init: RequestInit) => globalThis.fetch(url, init));

  const transport: Transport = {
    fetch: fetchImpl,
    token,
    throttle,
    headers: {
      "user-agent": `${userAgent ? `${userAgent} ` : ""}astro-api-client/${VERSION}`,
      "x-astro-client-identifier": "astro-api-client",
      "x-astro-client-version": VERSION,
    },
    emit: eventSink(options.onEvent, options.logger),
  };
  const defaults = { retry, timeoutMs };
  const client: AstroClient = {
    platform: createApiClient<PlatformPaths>("platform", urls.platform, transport, defaults),
    iam: createApiClient<IamPaths>("iam", urls.iam, transport, defaults),
    stats: () =>
      throttle?.stats() ?? {
        get: { queued: 0, running: 0 },
        post: { queued: 0, running: 0 },
        delete: { queued: 0, running: 0 },
      },
  };
  Object.defineProperty(client, inspect.custom, {
    value: () =>
      `AstroClient { platform: ${urls.platform}, iam: ${urls.iam}, throttle: ${throttle ? JSON.stringify(throttle.limits) : "off"} }`,
  });
  return client;
}
