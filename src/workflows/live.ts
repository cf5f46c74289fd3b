/**
 * "Done means live": after FinalizeDeploy, a deploy is done when the Deployment serves the
 * finalized version, not when the deploy reads `DEPLOYED` (FinalizeDeploy already answers that)
 * nor when the Deployment reads `HEALTHY` (it stays so while the new tarball is processed).
 */
import { fieldOf, statusOf, type DataOf, type WorkflowClient } from "./client.js";
import { fanOut, type WaiterEvent, type WorkflowEmit } from "./events.js";
import { poll, type Check } from "./poll.js";
import { paceSet, withHint } from "./poll-hint.js";
import { resolveTiming, type WaitTiming } from "./timing.js";
import { WAITER_DEFAULTS } from "./constants.js";

/** What the live wait looks for. */
export type LiveTarget =
  /** A DAG deploy: the Deployment's `dagTarballVersion` equals the finalized version. */
  | { kind: "dags"; version: string }
  /** A BUNDLE deploy: the deploy's bundle at `mountPath` has `currentVersion` equal to the finalized version. */
  | { kind: "bundle"; version: string; mountPath: string };

/** What the wait ended on. */
export interface LiveResult<C extends WorkflowClient> {
  /** The deploy as last read (FinalizeDeploy's answer when no poll needed to read it). */
  deploy: DataOf<C, "getDeploy"> | DataOf<C, "finalizeDeploy">;
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
 * Polls until the target is live. For DAGs each poll reads the Deployment, and while it does not
 * serve the version yet, the deploy (a `FAILED` one ends the wait); for a bundle, the deploy.
 * Answers about another deploy or Deployment count as pending.
 */
export function waitUntilLive<C extends WorkflowClient>(
  client: C,
  ids: { organizationId?: string; deploymentId: string; deployId: string },
  target: LiveTarget,
  options: {
    timing: Partial<WaitTiming>;
    signal: AbortSignal | undefined;
    emit: WorkflowEmit | undefined;
    /** What to redact from the statuses it reports (WorkflowContext.secrets). */
    secrets: (() => readonly string[]) | undefined;
    onProgress?: ((event: WaiterEvent<"deployLive">) => void) | undefined;
    /** FinalizeDeploy's answer: the deploy as last seen until a poll reads it. */
    finalized: LiveResult<C>["deploy"];
  },
): Promise<LiveResult<C>> {
  const { deployId, deploymentId, organizationId } = ids;
  const deploymentArgs = { ...(organizationId === undefined ? {} : { organizationId }), deploymentId };
  let lastDeploy: LiveResult<C>["deploy"] = options.finalized;
  /** Reads the deploy: `undefined` when the answer is about another one. */
  // The latest answer read, for the pace a loopback test server asks for (poll-hint.ts).
  let answer: unknown;
  const readDeploy = async (signal: AbortSignal) => {
    const { data, response } = await client.getDeploy(ids, { signal });
    answer = response;
    const answered = fieldOf(data, "id");
    if (answered !== undefined && answered !== deployId) return undefined;
    lastDeploy = data as LiveResult<C>["deploy"];
    return data;
  };
  return poll<LiveResult<C>, "deployLive">({
    waiter: "deployLive",
    resourceId: deployId,
    timing: resolveTiming(options.timing, WAITER_DEFAULTS.deployLive),
    timingSet: paceSet(options.timing),
    signal: options.signal,
    emit: fanOut(options.emit, options.onProgress),
    secrets: options.secrets,
    check: async (signal) => withHint(await checkOnce(signal), answer),
  });

  async function checkOnce(signal: AbortSignal): Promise<Check<LiveResult<C>>> {
    if (target.kind === "bundle") {
      const deploy = await readDeploy(signal);
      if (deploy === undefined) return { state: "pending", status: undefined };
      const deployStatus = statusOf(deploy);
      if (deployStatus === "FAILED") return { state: "failure", status: deployStatus };
      return bundleAt(deploy, target.mountPath, target.version)
        ? { state: "success", status: deployStatus, value: { deploy: lastDeploy, deployment: undefined } }
        : { state: "pending", status: deployStatus };
    }
    // The Deployment first: once it serves the version, the deploy went through.
    const { data: deployment, response } = await client.getDeployment(deploymentArgs, { signal });
    answer = response;
    const answered = fieldOf(deployment, "id");
    const ours = answered === undefined || answered === deploymentId;
    const describe = () =>
      `deploy ${statusOf(lastDeploy) ?? "?"}, Deployment ${(ours && statusOf(deployment)) || "?"}`;
    if (ours && fieldOf(deployment, "dagTarballVersion") === target.version)
      return {
        state: "success",
        status: describe(),
        value: { deploy: lastDeploy, deployment: deployment as DataOf<C, "getDeployment"> },
      };
    // Not served yet: a FAILED deploy never will be.
    const deploy = await readDeploy(signal);
    if (deploy !== undefined && statusOf(deploy) === "FAILED") return { state: "failure", status: "FAILED" };
    return { state: "pending", status: describe() };
  }
}
