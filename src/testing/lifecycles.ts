/**
 * Resources that take time in Astro: a deployment goes CREATING → HEALTHY, a cluster
 * CREATING → CREATED, a deploy INITIALIZED → DEPLOYED once finalized. In the fake each moves on
 * after a number of reads (polls) or once the fake's clock has advanced far enough, whichever
 * comes first — the test decides which, and may pick the end status (a failure) too.
 */
import { AstroConfigError } from "../errors/error-classes.js";
import type { FakeClock } from "./clock.js";
import type { UpdateLag, VersionLag } from "./lags.js";

/** When a pending resource reaches its end status, and which status that is. */
export interface LifecycleTiming {
  /** The read (GET of the resource) that first shows the end status (default 2; 0: at once; `Infinity`: not by reads). */
  afterPolls?: number;
  /** Or: the fake clock's ms after the start (default: never by time alone). */
  afterMs?: number;
  /** The end status (default the success one: `HEALTHY`, `CREATED`, `DEPLOYED`). */
  outcome?: string;
}

/** When each kind of pending resource reaches its end status. */
export interface LifecycleOptions {
  /** A new deployment: `CREATING` → `HEALTHY`. */
  deployment?: LifecycleTiming;
  /** A new cluster: `CREATING` → `CREATED`. */
  cluster?: LifecycleTiming;
  /**
   * A finalized deploy: `INITIALIZED` → `DEPLOYED`. Default: `DEPLOYED` in FinalizeDeploy's own
   * answer, as the document's example shows (`afterPolls: 0`); what lags is `liveVersion`.
   */
  deploy?: LifecycleTiming;
  /**
   * When a `DEPLOYED` deploy's version is served: the Deployment's `dagTarballVersion` (or, for a
   * `BUNDLE` deploy, its bundle's `currentVersion`). Default: from the second read of it, or after
   * 300 ms of fake time; `false`: at once.
   */
  liveVersion?: VersionLag | false;
  /**
   * How a `HEALTHY` Deployment reads after UpdateDeployment. Default: one more `HEALTHY` read,
   * one `DEPLOYING` read, then `HEALTHY`; `false`: no change.
   */
  deploymentUpdate?: UpdateLag | false;
  /**
   * UpdateCluster and DeleteCluster answer 409 while a cluster workflow runs (the cluster is
   * `CREATING` or `UPDATING`), as Astro does; an update puts the cluster in `UPDATING` until the
   * `cluster` timing ends it. Default `true`.
   */
  clusterBusy?: boolean;
}

interface LifecycleDefinition {
  key: "deployment" | "cluster" | "deploy";
  /** The component schema of the records it applies to. */
  schema: string;
  start: string;
  end: string;
  /** What starts the clock: creating the record, or an operation on it. */
  trigger: "create" | "FinalizeDeploy" | "UpdateCluster";
  /** The read that shows the end status when the test does not say (`afterPolls`). */
  defaultPolls: number;
}

export const LIFECYCLES: readonly LifecycleDefinition[] = [
  {
    key: "deployment",
    schema: "Deployment",
    start: "CREATING",
    end: "HEALTHY",
    trigger: "create",
    defaultPolls: 2,
  },
  {
    key: "cluster",
    schema: "Cluster",
    start: "CREATING",
    end: "CREATED",
    trigger: "create",
    defaultPolls: 2,
  },
  {
    key: "deploy",
    schema: "Deploy",
    start: "INITIALIZED",
    end: "DEPLOYED",
    trigger: "FinalizeDeploy",
    defaultPolls: 0,
  },
  // An update puts a cluster back to work; it answers 409 to the next update or delete meanwhile.
  {
    key: "cluster",
    schema: "Cluster",
    start: "UPDATING",
    end: "CREATED",
    trigger: "UpdateCluster",
    defaultPolls: 2,
  },
];

interface Pending {
  record: Record<string, unknown>;
  outcome: string;
  since: number;
  polls: number;
  timing: LifecycleTiming;
}

export interface Lifecycles {
  /** A record of `schema` was created: it starts in its start status (and may start moving). */
  created(schema: string, record: Record<string, unknown>): void;
  /** `operationId` was applied to a record of `schema` (a finalize starts a deploy moving). */
  applied(operationId: string, schema: string, record: Record<string, unknown>): void;
  /** Whether a cluster workflow runs on this record (UpdateCluster and DeleteCluster answer 409). */
  busy(record: Record<string, unknown>): boolean;
  /** Moves a record on if its time has come; `poll` counts this look as a read of it. */
  observe(record: Record<string, unknown>, poll: boolean): void;
  /** Every pending record reaches its end status now. */
  settle(): void;
  /** This record reaches its end status now (if it is pending). */
  complete(record: Record<string, unknown>): void;
  forget(record: Record<string, unknown>): void;
  /** Forgets every pending record. */
  clear(): void;
}

/**
 * Checks the chosen statuses against the document's enums, so a typo fails at start. `ended` hears
 * of each record that reached its end status (a deployment takes the version of a finished deploy).
 */
export function createLifecycles(
  options: LifecycleOptions,
  clock: FakeClock,
  statusEnums: Readonly<Record<string, readonly string[]>>,
  ended: (record: Record<string, unknown>) => void = () => {},
): Lifecycles {
  for (const def of LIFECYCLES) {
    const allowed = statusEnums[def.schema] ?? [];
    for (const status of [def.start, def.end, options[def.key]?.outcome]) {
      if (status !== undefined && !allowed.includes(status))
        throw new AstroConfigError(
          `lifecycles.${def.key}: ${status} is not a ${def.schema} status (${allowed.join(", ")})`,
        );
    }
  }
  const pending = new Map<Record<string, unknown>, Pending>();
  const start = (def: LifecycleDefinition, record: Record<string, unknown>): void => {
    const timing = { afterPolls: def.defaultPolls, ...options[def.key] };
    record.status = def.start;
    pending.set(record, { record, outcome: timing.outcome ?? def.end, since: clock.now(), polls: 0, timing });
    if (timing.afterPolls <= 0) finish(record);
  };
  const finish = (record: Record<string, unknown>): void => {
    const entry = pending.get(record);
    if (!entry) return;
    record.status = entry.outcome;
    pending.delete(record);
    ended(record);
  };
  return {
    created(schema, record) {
      const def = LIFECYCLES.find((d) => d.schema === schema);
      if (!def) return;
      if (def.trigger === "create") start(def, record);
      else record.status = def.start;
    },
    applied(operationId, schema, record) {
      const def = LIFECYCLES.find((d) => d.schema === schema && d.trigger === operationId);
      if (!def || pending.has(record)) return;
      if (def.trigger === "UpdateCluster") {
        if (options.clusterBusy !== false) start(def, record);
      } else if (record.status === def.start) start(def, record);
    },
    busy(record) {
      return options.clusterBusy !== false && pending.has(record);
    },
    observe(record, poll) {
      const entry = pending.get(record);
      if (!entry) return;
      if (poll) entry.polls += 1;
      const { afterPolls = 0, afterMs } = entry.timing;
      if (entry.polls >= afterPolls || (afterMs !== undefined && clock.now() - entry.since >= afterMs))
        finish(record);
    },
    settle() {
      for (const record of [...pending.keys()]) finish(record);
    },
    complete: finish,
    clear() {
      pending.clear();
    },
    forget(record) {
      pending.delete(record);
    },
  };
}
