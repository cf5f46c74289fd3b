/**
 * Where the real API lags behind its own answers, imitated (each an option of `lifecycles`, on by
 * default, short so a wait against the fake stays quick):
 * - a finalized deploy answers `DEPLOYED` at once, but its Deployment's `dagTarballVersion` (or
 *   the deploy's bundle `currentVersion`) reaches the new version only a little later;
 * - after UpdateDeployment, a Deployment first still reads `HEALTHY`, then `DEPLOYING`, then
 *   `HEALTHY` again.
 */
import type { FakeClock } from "./clock.js";
import type { FakeRecord } from "./state.js";

/** When a finalized version reaches what serves it. */
export interface VersionLag {
  /** The read of the Deployment (or bundle deploy) that first shows the new version (default 2). */
  afterPolls?: number;
  /** Or: the fake clock's ms after the deploy is `DEPLOYED` (default 300). */
  afterMs?: number;
}

/** How a Deployment reads after UpdateDeployment. */
export interface UpdateLag {
  /** Reads that still show `HEALTHY`, as if nothing changed yet (default 1). */
  staleReads?: number;
  /** Then reads that show `DEPLOYING` (default 1); `HEALTHY` again after. */
  deployingReads?: number;
}

interface PendingVersion {
  apply: () => void;
  since: number;
  polls: number;
}

export class Lags {
  private readonly versions = new Map<FakeRecord, PendingVersion[]>();
  private readonly updates = new Map<FakeRecord, number>();

  /** The version lag with its defaults filled in; `undefined` when turned off. */
  private readonly version: Required<VersionLag> | undefined;
  /** The update lag with its defaults filled in; `undefined` when turned off. */
  private readonly update: Required<UpdateLag> | undefined;

  constructor(
    version: VersionLag | false | undefined,
    update: UpdateLag | false | undefined,
    private readonly clock: FakeClock,
  ) {
    this.version =
      version === false
        ? undefined
        : { afterPolls: version?.afterPolls ?? 2, afterMs: version?.afterMs ?? 300 };
    this.update =
      update === false
        ? undefined
        : { staleReads: update?.staleReads ?? 1, deployingReads: update?.deployingReads ?? 1 };
  }

  /** `apply` makes `target` show a finalized version: now, or after the lag. */
  later(target: FakeRecord, apply: () => void): void {
    if (!this.version || this.version.afterPolls <= 0) return apply();
    const list = this.versions.get(target) ?? [];
    list.push({ apply, since: this.clock.now(), polls: 0 });
    this.versions.set(target, list);
  }

  /** UpdateDeployment changed a `HEALTHY` Deployment: it moves through the update's statuses as it is read. */
  updated(deployment: FakeRecord): void {
    if (!this.update || deployment.status !== "HEALTHY") return;
    this.updates.set(deployment, 0);
  }

  /** A GET of `record`: moves its lags on before it is answered. */
  read(record: FakeRecord): void {
    const pending = this.versions.get(record);
    if (pending && this.version) {
      const { afterPolls, afterMs } = this.version;
      const left = pending.filter((entry) => {
        entry.polls += 1;
        if (entry.polls < afterPolls && this.clock.now() - entry.since < afterMs) return true;
        entry.apply();
        return false;
      });
      if (left.length) this.versions.set(record, left);
      else this.versions.delete(record);
    }
    const reads = this.updates.get(record);
    if (reads === undefined || !this.update) return;
    const { staleReads, deployingReads } = this.update;
    const n = reads + 1;
    this.updates.set(record, n);
    if (n <= staleReads) return;
    if (n <= staleReads + deployingReads) record.status = "DEPLOYING";
    else {
      record.status = "HEALTHY";
      this.updates.delete(record);
    }
  }

  /** Every lag ends now. */
  settle(): void {
    for (const list of this.versions.values()) for (const entry of list) entry.apply();
    this.versions.clear();
    for (const record of this.updates.keys()) record.status = "HEALTHY";
    this.updates.clear();
  }

  clear(): void {
    this.versions.clear();
    this.updates.clear();
  }

  forget(record: FakeRecord): void {
    this.versions.delete(record);
    this.updates.delete(record);
  }
}
