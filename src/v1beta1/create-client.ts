import type { operations as IamOperations, paths as IamPaths } from "../../generated/iam.js";
import { iamOperations, type IamOperationIds, type IamPaginated } from "../../generated/iam-operations.js";
import {
  platformOperations,
  type PlatformOperationIds,
  type PlatformPaginated,
} from "../../generated/platform-operations.js";
import type { operations as PlatformOperations, paths as PlatformPaths } from "../../generated/platform.js";
import { resolveConfig } from "../client/config.js";
import type { V1beta1ClientOptions } from "../client/options.js";
import {
  createRuntime,
  describeClient,
  throttleText,
  workflowContext,
  type ClientLifecycle,
} from "../client/runtime.js";
import { createApiClient, type ApiClient } from "../operations/api-client.js";
import type { Workflows } from "../workflows/create-workflows.js";
import { createLazyWorkflows } from "../workflows/lazy.js";
import { warnV1beta1Deprecated } from "./deprecation.js";

/** The v1beta1 Platform API's operations as a typed client. */
export type PlatformApi = ApiClient<
  PlatformPaths,
  PlatformOperations,
  PlatformOperationIds,
  PlatformPaginated
>;

/**
 * The v1beta1 Platform API client: organizations, clusters, deployments, deploys, workspaces, and
 * the workflows (waiters, `deployDags`) over them.
 */
export type PlatformClient = PlatformApi & Workflows<PlatformApi>;
/** The v1beta1 IAM API client: users, teams, API tokens, roles, invites, allowed IP ranges. */
export type IamClient = ApiClient<IamPaths, IamOperations, IamOperationIds, IamPaginated>;

/**
 * A client of both v1beta1 APIs sharing one auth, throttle, retry and error pipeline.
 * @deprecated Astronomer ends support of v1beta1 in January 2027; use the v1 client
 * (`import { createAstroClient } from "astro-api-client"`).
 */
export interface AstroClient extends ClientLifecycle {
  /** Organizations, clusters, deployments, deploys, workspaces. */
  readonly platform: PlatformClient;
  /** Users, teams, API tokens, roles, invites, allowed IP ranges. */
  readonly iam: IamClient;
}

/**
 * Creates a client of the Astro Platform and IAM APIs v1beta1, exactly as before v1: `platform`
 * and `iam`, each with typed calls by path, one method per operation and `paginate`. The first
 * call in a process emits a `DeprecationWarning` (code `ASTRO_V1BETA1_DEPRECATED`).
 *
 * It runs on the same runtime as the v1 client: a token's rate-limit budget is shared by v1 and
 * v1beta1 clients of one process.
 *
 * @deprecated Astronomer ends support of v1beta1 in January 2027; use the v1 client
 * (`import { createAstroClient } from "astro-api-client"`).
 * @throws AstroConfigError when an option is unusable (no token, a token with whitespace, a bad URL, negative limits…).
 */
export function createAstroClient(options: V1beta1ClientOptions = {}): AstroClient {
  warnV1beta1Deprecated();
  const config = resolveConfig(options, undefined, { v1: false });
  const { transport, lifecycle } = createRuntime(config);
  const platformApi = createApiClient<PlatformApi>("platform", platformOperations, transport);
  const client: AstroClient = {
    platform: Object.assign(platformApi, createLazyWorkflows(platformApi, workflowContext(config))),
    iam: createApiClient<IamClient>("iam", iamOperations, transport),
    ...lifecycle,
  };
  describeClient(
    client,
    () =>
      `AstroClient { platform: ${config.urls.platform}, iam: ${config.urls.iam}, throttle: ${throttleText(transport)} }`,
  );
  return client;
}
