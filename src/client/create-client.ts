import type { operations as IamOperations, paths as IamPaths } from "../../generated/iam.js";
import type {
  IamOperationIds,
  IamPaginated,
  PlatformOperationIds,
  PlatformPaginated,
} from "../../generated/operations.js";
import type { operations as PlatformOperations, paths as PlatformPaths } from "../../generated/platform.js";
import { createApiClient, type ApiClient } from "../operations/api-client.js";
import type { LimiterCounts } from "../throttle/limiter.js";
import type { MethodClass } from "../throttle/limits.js";
import { Throttle } from "../throttle/throttle.js";
import type { Transport } from "../transport/call.js";
import { resolveConfig } from "./config.js";
import type { AstroClientOptions } from "./options.js";

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
  const config = resolveConfig(options);
  const throttle =
    config.throttle && new Throttle(config.throttle, { logger: config.logger });
  const transport: Transport = { config, throttle };
  const client: AstroClient = {
    platform: createApiClient<PlatformClient>("platform", transport),
    iam: createApiClient<IamClient>("iam", transport),
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
      `AstroClient { platform: ${config.urls.platform}, iam: ${config.urls.iam}, throttle: ${throttle ? JSON.stringify(throttle.limits) : "off"} }`,
  });
  return client;
}
