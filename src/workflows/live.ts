/**
 * "Done means live": after FinalizeDeploy, a deploy is done when the Deployment serves the
 * finalized version, not when the deploy reads `DEPLOYED` (FinalizeDeploy already answers that)
 * nor when the Deployment reads `HEALTHY` (it stays so while the new tarball is processed).
 */
import { fieldOf, statusOf, type DataOf, type WorkflowClient } from "./client.js";
import { fanOut, type WorkflowEmit, type WorkflowEvent } from "./events.js";
import { poll, type Check } from "./poll.js";
import { resolveTiming, type WaitTiming } from "./timing.js";
import { WAITER_DEFAULTS } from "./waiters.js";

/** What the live wait looks for. */
export type LiveTarget =
  /** A DAG deploy: the Deployment's `dagTarballVersion` equals the finalized version. */
  | { kind: "dags"; version: string }
  /** A BUNDLE deploy: the deploy's bundle at `mountPath` has `currentVersion` equal to the finalized version. */
  | { kind: "bundle"; version: string; mountPath: string };

/** What the wait ended on. */
export interface LiveResult<C extends WorkflowClient> {
  deploy: DataOf<C, "getDeploy">;
  deployment: DataOf<C, "getDeployment"> | undefined;
}

/** Whether the bundle mounted at `mountPath` has reached `version`, per the deploy's `bundles`. */
function bundleAt(deploy: unknown, mountPath: string, version: string): boolean {
  const bundles = fieldOf(deploy, "bundles");
  if (!Array.isArray(bundles)) return false;
  return bundles.some(
    (b) => fieldOf(b, "mountPath") === mountPath && fieldOf(b, "currentVersion") === version,
  );
}

/**
 * Polls until the target is live: each poll reads the deploy (a `FAILED` one ends the wait) and,
 * for DAGs, then the Deployment. Answers about another deploy or Deployment count as pending.
 */
export function waitUntilLive<C extends WorkflowClient>(
  client: C,
  ids: { organizationId?: string; deploymentId: string; deployId: string },
  target: LiveTarget,
  options: {
    timing: Partial<WaitTiming>;
    signal: AbortSignal | undefined;
    emit: WorkflowEmit | undefined;
    onProgress?: (event: WorkflowEvent) => void;
  },
): Promise<LiveResult<C>> {
  const { deployId, deploymentId, organizationId } = ids;
  const deploymentArgs = { ...(organizationId === undefined ? {} : { organizationId }), deploymentId };
  return poll<LiveResult<C>>({
    waiter: "deployLive",
    resourceId: deployId,
    timing: resolveTiming(options.timing, WAITER_DEFAULTS.deployLive),
    signal: options.signal,
    emit: fanOut(options.emit, options.onProgress),
    async check(signal): Promise<Check<LiveResult<C>>> {
      const { data: deploy } = await client.getDeploy(ids, { signal });
      const deployStatus = statusOf(deploy);
      const aboutOther = fieldOf(deploy, "id") !== undefined && fieldOf(deploy, "id") !== deployId;
      if (aboutOther) return { state: "pending", status: undefined };
      if (deployStatus === "FAILED") return { state: "failure", status: deployStatus };
      if (target.kind === "bundle") {
        return bundleAt(deploy, target.mountPath, target.version)
          ? {
              state: "success",
              status: deployStatus,
              value: { deploy: deploy as DataOf<C, "getDeploy">, deployment: undefined },
            }
          : { state: "pending", status: deployStatus };
      }
      const { data: deployment } = await client.getDeployment(deploymentArgs, { signal });
      const otherDeployment =
        fieldOf(deployment, "id") !== undefined && fieldOf(deployment, "id") !== deploymentId;
      const status = `deploy ${deployStatus ?? "?"}, Deployment ${statusOf(deployment) ?? "?"}`;
      if (otherDeployment || fieldOf(deployment, "dagTarballVersion") !== target.version)
        return { state: "pending", status };
      return {
        state: "success",
        status,
        value: {
          deploy: deploy as DataOf<C, "getDeploy">,
          deployment: deployment as DataOf<C, "getDeployment">,
        },
      };
    },
  });
}
