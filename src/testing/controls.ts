/**
 * What a test holds besides the URL: the fake's state to seed and inspect, its clock, its faults,
 * and what it received. Paths are relative to the API's base path, as in the document:
 * `/organizations/${fake.organizationId}/deployments`.
 */
import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { fail } from "./fault-checks.js";
import { isObject } from "./records.js";
import type { FakeClock } from "./clock.js";
import type { FaultController } from "./faults.js";
import type { FakeRecord, FakeStore } from "./state.js";
import type { FakeUpload } from "./uploads.js";

/** One request the fake received (the token is not kept). */
/** One request the fake received, as `fake.requests` lists it. */
export interface FakeRequestLog {
  /** The HTTP method. */
  method: string;
  /** The path without the query, as sent (percent-encoded). */
  path: string;
  /** The operation it was routed to, or `UploadDagTarball` for the upload URL. */
  operationId?: string;
  /** What the fake answered; 0 when it dropped the connection. */
  status: number;
  /** The requestId of the answer (also for answers that do not show one). */
  requestId: string;
  /** The `X-API-Version` header the request carried, if any. */
  apiVersion?: string;
}

/** The fake's resources, to seed before a test and inspect after it. */
export interface FakeStateView {
  /** A resource by its item path (`/organizations/o1/deployments/d1`), as the API would answer it. */
  get(itemPath: string): FakeRecord | undefined;
  /** The resources of a collection path, oldest first. */
  list(collectionPath: string): FakeRecord[];
  /**
   * Adds a resource as a create would (the document's sample of its schema, then `fields`; a new
   * id unless `fields` has one) without a request, and returns it. Seeded resources start in their
   * lifecycle's end status unless `fields.status` says otherwise.
   */
  seed(collectionPath: string, fields?: FakeRecord): FakeRecord;
  /** Every non-empty collection, by path. */
  dump(): Record<string, FakeRecord[]>;
}

/** What a test holds of a fake besides its URL: state, clock, faults, and what it received. */
export interface AstroFakeControls {
  /** A token the fake accepts (the first of `tokens`). */
  readonly token: string;
  /** The organization the fake starts with. */
  readonly organizationId: string;
  /** Its resources: seed them, read them, list them. */
  readonly state: FakeStateView;
  /** Its time: `advance` moves lifecycles on without sleeping. */
  readonly clock: FakeClock;
  /** Faults to inject from now on (`set`, `once`, `clear`). */
  readonly faults: FaultController;
  /** Requests to upload URLs, in order, with their headers and bytes. */
  readonly uploads: readonly FakeUpload[];
  /** Every request, in order. */
  readonly requests: readonly FakeRequestLog[];
  /** Every pending deployment, cluster and deploy reaches its end status now. */
  settle(): void;
  /**
   * Back to how the fake started, for a fake shared by several tests: every resource, upload,
   * logged request and fault forgotten, the organization and its user there again (with the same
   * ids), the clock back to real time. Options given at start (tokens, limits, faults) stay.
   */
  reset(): void;
}

function matches(template: string, path: string): Record<string, string> | undefined {
  const t = template.split("/");
  const p = path.split("/");
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    if (t[i]!.startsWith("{")) params[t[i]!.slice(1, -1)] = p[i]!;
    else if (t[i] !== p[i]) return undefined;
  }
  return params;
}

export interface ControlsContext {
  token: string;
  organizationId: string;
  store: FakeStore;
  clock: FakeClock;
  faults: FaultController;
  uploads: readonly FakeUpload[];
  requests: readonly FakeRequestLog[];
  settle(): void;
  reset(): void;
  /** Record schema per collection template. */
  recordSchemas: ReadonlyMap<string, string>;
  newRecord(
    schema: string,
    fields: FakeRecord,
    params: Record<string, string>,
    collectionPath: string,
  ): FakeRecord;
  /** Ends a seeded record's lifecycle: in its end status, or in the status it was given. */
  settleRecord(record: FakeRecord, status: unknown): void;
  keyField(schema: string): string;
}

/** A path a test passes to `state`: a string (anything else failed as a `TypeError` of the store's). */
function checkedPath(where: string, path: unknown): string {
  if (typeof path !== "string")
    fail(`${where}'s path`, "a string like /organizations/<id>/deployments", path);
  return path;
}

export function createControls(context: ControlsContext): AstroFakeControls {
  const { store } = context;
  const split = (itemPath: string): [string, string] => {
    const at = itemPath.lastIndexOf("/");
    return [itemPath.slice(0, at), itemPath.slice(at + 1)];
  };
  return {
    token: context.token,
    organizationId: context.organizationId,
    clock: context.clock,
    faults: context.faults,
    uploads: context.uploads,
    requests: context.requests,
    settle: () => context.settle(),
    reset: () => context.reset(),
    state: {
      get: (itemPath) => store.get(...split(checkedPath("state.get", itemPath))),
      list: (collectionPath) => store.list(checkedPath("state.list", collectionPath)),
      dump: () => store.dump(),
      seed(collectionPath, fields = {}) {
        checkedPath("state.seed", collectionPath);
        if (!isObject(fields)) fail("state.seed's fields", "an object of the resource's fields", fields);
        for (const [template, schema] of context.recordSchemas) {
          const params = matches(template, collectionPath);
          if (!params) continue;
          const record = context.newRecord(schema, fields, params, collectionPath);
          context.settleRecord(record, fields.status);
          store.put(collectionPath, String(record[context.keyField(schema)]), record);
          return record;
        }
        throw new AstroConfigError(
          `state.seed: ${describeValue(collectionPath, 200)} is not a collection of the API`,
        );
      },
    },
  };
}
