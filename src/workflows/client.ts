import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";

/** Per-call options the workflows pass to the client's operation methods. */
export interface WorkflowCallOptions {
  /** Aborts the call when the workflow is aborted or its deadline passes. */
  signal?: AbortSignal;
}

/** What an operation method resolves to, as far as the workflows read it. */
export interface WorkflowCallResult {
  /** The success body, read structurally (a status, an id, an upload URL). */
  data: unknown;
  /** The HTTP response, whose headers a waiter reads for a loopback test server's poll hint. */
  response?: Response;
}

/**
 * The operations the workflows call, structurally: both the v1beta1 `astro.platform` client and
 * the v1 client have them (v1 keeps v1beta1's operationIds and paths), so the workflows attach to
 * either. Each call goes through the client's auth, throttle, retries and events like any other.
 * `organizationId` may be omitted where the client has a default.
 */
export interface WorkflowClient {
  /** GetDeployment: polled by `waitUntilDeploymentReady` and `deployDags` when it waits. */
  getDeployment(
    args: { organizationId?: string; deploymentId: string },
    options?: WorkflowCallOptions,
  ): Promise<WorkflowCallResult>;
  /** GetCluster: polled by `waitUntilClusterReady`. */
  getCluster(
    args: { organizationId?: string; clusterId: string },
    options?: WorkflowCallOptions,
  ): Promise<WorkflowCallResult>;
  /** GetDeploy: polled by `waitUntilDeployFinished`. */
  getDeploy(
    args: { organizationId?: string; deploymentId: string; deployId: string },
    options?: WorkflowCallOptions,
  ): Promise<WorkflowCallResult>;
  /** CreateDeploy: the `create` step of `deployDags` (a `DAG_ONLY` deploy, with its upload URL). */
  createDeploy(
    args: {
      organizationId?: string;
      deploymentId: string;
      body: { type: "DAG_ONLY"; description?: string };
    },
    options?: WorkflowCallOptions,
  ): Promise<WorkflowCallResult>;
  /** FinalizeDeploy: the `finalize` step of `deployDags`, naming the uploaded blob's version. */
  finalizeDeploy(
    args: {
      organizationId?: string;
      deploymentId: string;
      deployId: string;
      body: { dagTarballVersion?: string };
    },
    options?: WorkflowCallOptions,
  ): Promise<WorkflowCallResult>;
}

/** The success data of operation method `K` of client `C`. */
export type DataOf<C, K extends keyof C> = C[K] extends (...args: never[]) => Promise<infer R>
  ? R extends { data: infer D }
    ? D
    : never
  : never;

/**
 * An id that goes into a path. Checked here because a `..` or `/` would change which resource the
 * URL names, and a waiter then polls something else until its deadline.
 */
export function checkId(value: unknown, name: string): string {
  if (
    typeof value !== "string" ||
    !/^[\x21-\x7e]+$/.test(value) ||
    /[/?#%\\]/.test(value) ||
    /^\.{1,2}$/.test(value)
  ) {
    throw new AstroConfigError(
      `${name} must be a non-empty id (printable, without / ? # % \\ or spaces), got ${describeValue(value)}`,
    );
  }
  return value;
}

/** The path ids of a call, checked, with an absent `organizationId` left out so the client's default applies. */
export function pathIds<K extends string>(
  ids: Partial<Record<K | "organizationId", unknown>> | undefined,
  names: readonly K[],
): Record<K, string> & { organizationId?: string } {
  if (ids === null || typeof ids !== "object") {
    throw new AstroConfigError(`expected an object with ${names.join(", ")}, got ${describeValue(ids)}`);
  }
  const out: Record<string, string> = {};
  if (ids.organizationId !== undefined) out.organizationId = checkId(ids.organizationId, "organizationId");
  for (const name of names) out[name] = checkId(ids[name], name);
  return out;
}

/** A field of an answer read structurally (answers are not validated: a body can be anything). */
export function fieldOf(data: unknown, name: string): unknown {
  return data !== null && typeof data === "object" ? (data as Record<string, unknown>)[name] : undefined;
}

/** The `status` field of an answer, if it has a string one (answers are not validated: a body can be anything). */
export function statusOf(data: unknown): string | undefined {
  const status = fieldOf(data, "status");
  return typeof status === "string" ? status : undefined;
}
