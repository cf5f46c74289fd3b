import type { operations as IamOperations, paths as IamPaths } from "../generated/iam.js";
import type {
  IamOperationIds,
  IamPaginated,
  PlatformOperationIds,
  PlatformPaginated,
} from "../generated/operations.js";
import type { operations as PlatformOperations, paths as PlatformPaths } from "../generated/platform.js";
import { createApiClient, type ApiClient } from "./api-client.js";
import { eventSink } from "./events.js";
import { checkTimeout, checkUserAgent, resolveUrls, type AstroClientOptions } from "./options.js";
import { checkOrganizationId, ORGANIZATION_ENV } from "./organization.js";
import { checkRetry } from "./retry.js";
import type { Transport } from "./send.js";
import type { LimiterCounts } from "./throttle/limiter.js";
import type { MethodClass } from "./throttle/limits.js";
import { Throttle } from "./throttle/throttle.js";
import { tokenProvider } from "./token.js";
import { VERSION } from "./version.js";

/** The Platform API client: organizations, clusters, deployments, deploys, workspaces. */
export type PlatformClient = ApiClient<
  PlatformPaths,
  PlatformOperations,
  PlatformOperationIds,
  PlatformPaginated
>;
/** The IAM API client: users, teams, API tokens, roles, invites, allowed IP ranges. */
export type IamClient = ApiClient<IamPaths, IamOperations, IamOperationIds, IamPaginated>;

/** A client of both Astro APIs sharing one auth, throttle, retry and error pipeline. */
export interface AstroClient {
  /** Organizations, clusters, deployments, deploys, workspaces. */
  readonly platform: PlatformClient;
  /** Users, teams, API tokens, roles, invites, allowed IP ranges. */
  readonly iam: IamClient;
  /** Requests waiting for budget and in flight, per method class (zero when throttling is off). */
  stats(): Record<MethodClass, LimiterCounts>;
  /**
   * Releases what the client holds open: with `throttle.redis`, calls still waiting for budget
   * reject, requests already sent keep their unit until a window after they end, then the Redis
   * connections close so the process can exit. Resolves at once otherwise.
   */
  close(): Promise<void>;
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
  const throttle =
    options.throttle === false ? undefined : new Throttle(options.throttle, { logger: options.logger });
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
  const organizationId = checkOrganizationId(
    options.organizationId ?? processEnv()[ORGANIZATION_ENV],
    options.organizationId === undefined ? ORGANIZATION_ENV : "organizationId",
  );
  const defaults = { retry, timeoutMs, organizationId };
  const client: AstroClient = {
    platform: createApiClient<PlatformClient>("platform", urls.platform, transport, defaults),
    iam: createApiClient<IamClient>("iam", urls.iam, transport, defaults),
    stats: () =>
      throttle?.stats() ?? {
        get: { queued: 0, running: 0 },
        post: { queued: 0, running: 0 },
        delete: { queued: 0, running: 0 },
      },
    close: () => throttle?.close() ?? Promise.resolve(),
  };
  Object.defineProperty(client, Symbol.for("nodejs.util.inspect.custom"), {
    value: () =>
      `AstroClient { platform: ${urls.platform}, iam: ${urls.iam}, throttle: ${throttle ? JSON.stringify(throttle.limits) : "off"} }`,
  });
  return client;
}
