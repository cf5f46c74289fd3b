import { v1Operations, type V1OperationIds, type V1Paginated } from "../../generated/v1-operations.js";
import type { operations as V1Operations, paths as V1Paths } from "../../generated/v1.js";
import { createApiClient, type ApiClient } from "../operations/api-client.js";
import type { Workflows } from "../workflows/create-workflows.js";
import { createLazyWorkflows } from "../workflows/lazy.js";
import { resolveConfig } from "./config.js";
import type { AstroClientOptions } from "./options.js";
import {
  createRuntime,
  describeClient,
  throttleText,
  workflowContext,
  type ClientLifecycle,
} from "./runtime.js";

/** The operations of the v1 API as a typed client: `GET`… by path template, one method per operation, `paginate`. */
export type V1Api = ApiClient<V1Paths, V1Operations, V1OperationIds, V1Paginated>;

/**
 * The Astro API v1 client: every operation of the v1 document as a method (`listDeployments`,
 * `createTeam`…), typed calls by path (`GET`, `POST`, `PUT`, `PATCH`, `DELETE`), `paginate`, the
 * workflows (`waitUntilDeploymentReady`, `deployDags`…), `stats()` and `close()`, all on the
 * client itself.
 */
export type AstroClient = V1Api & Workflows<V1Api> & ClientLifecycle;

/**
 * Creates a client of the Astro API v1 (`https://api.astronomer.io/v1`).
 *
 * ```ts
 * const astro = createAstroClient({ token: process.env.ASTRO_API_TOKEN, organizationId });
 * const { data } = await astro.listDeployments({ limit: 50 });
 * for await (const user of astro.paginate("/organizations/{organizationId}/users")) console.log(user.id);
 * ```
 *
 * Every call sends `Authorization: Bearer <token>` and `X-API-Version` (the minor the types were
 * generated from, unless `apiVersion` says otherwise), waits for the token's rate-limit budget,
 * retries what is safe to retry (429 always; 5xx, resets and timeouts only for idempotent
 * operations), resolves `{ data, response }` on 2xx and rejects with an `AstroApiError` subclass
 * otherwise. Responses are not validated against the spec: the API returns only the attributes
 * a token may see, so fields the spec marks required can be missing.
 *
 * @throws AstroConfigError when an option is unusable (no token, a token with whitespace, a bad
 * URL or one ending in `/v1`, an `apiVersion` that is not `1.N` or `"latest"`, negative limits…).
 */
export function createAstroClient(options: AstroClientOptions = {}): AstroClient {
  const config = resolveConfig(options);
  const { transport, lifecycle } = createRuntime(config);
  const api = createApiClient<V1Api>("v1", v1Operations, transport);
  const client = Object.assign(api, createLazyWorkflows(api, workflowContext(config)), lifecycle);
  describeClient(
    client,
    () =>
      `AstroClient { v1: ${config.urls.v1}, X-API-Version: ${config.apiVersion ?? "latest (not sent)"}, throttle: ${throttleText(transport)} }`,
  );
  return client;
}
