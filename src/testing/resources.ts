/**
 * The state operations by path shape (`FakeRole`): what a routed, validated request does to the
 * store, and the answer it gets. Unknown ids — of the resource or of any parent in its path —
 * throw `NotFound`, which the caller answers 404.
 */
import type { FakeClock } from "./clock.js";
import { finalizeBundle, finalizeProblems, prepareDeploy, serveBundle } from "./deploys.js";
import { emptyResponse, errorResponse, jsonResponse, type FakeHttpResponse } from "./exchange.js";
import type { Lifecycles } from "./lifecycles.js";
import type { Lags } from "./lags.js";
import type { FakeModel, FakeOperation } from "./model.js";
import { idSequence } from "./random.js";
import { applyBody, cloneJson, defaultLimit, filterRecords, project, sortRecords, stamp } from "./records.js";
import type { RouteMatch } from "./router.js";
import type { FakeRecord, FakeStore } from "./state.js";
import type { UploadEndpoint } from "./uploads.js";

export class NotFound extends Error {}

export class Resources {
  private readonly nextId = idSequence();
  /** The deployment of each finalized deploy, which takes its DAG version once it is DEPLOYED. */
  private readonly deploymentOf = new WeakMap<FakeRecord, FakeRecord>();
  private readonly collections: ReadonlySet<string>;
  /** The record schema of each collection template. */
  readonly recordSchemas: ReadonlyMap<string, string>;

  constructor(
    private readonly model: FakeModel,
    private readonly store: FakeStore,
    private readonly lifecycles: Lifecycles,
    private readonly uploads: UploadEndpoint,
    private readonly clock: FakeClock,
    private readonly lags: Lags,
  ) {
    this.collections = new Set(model.operations.flatMap((op) => (op.collection ? [op.collection] : [])));
    this.recordSchemas = new Map(
      model.operations.flatMap((op) =>
        op.collection && op.record ? [[op.collection, op.record] as const] : [],
      ),
    );
  }

  /** The field a record is known by: `id`, else its first `…Id` field (a team member's `userId`). */
  keyField(schema: string): string {
    const sample = this.model.samples[schema] as Record<string, unknown>;
    return "id" in sample ? "id" : (Object.keys(sample).find((k) => k.endsWith("Id")) ?? "id");
  }

  /** A new record of `schema` for `collectionPath`: the sample, a new id, the path's ids, `fields`. */
  newRecord(
    schema: string,
    fields: FakeRecord,
    params: Readonly<Record<string, string>>,
    collectionPath: string,
  ): FakeRecord {
    const record = cloneJson(this.model.samples[schema]) as FakeRecord;
    const key = this.keyField(schema);
    record[key] = fields[key] ?? this.nextId();
    stamp(record, params, this.clock.now(), true);
    // The document's example enforces CI/CD; a Deployment created without saying so does not.
    if (schema === "Deployment") record.isCicdEnforced = false;
    Object.assign(record, fields);
    this.lifecycles.created(schema, record);
    if (schema === "Deploy") prepareDeploy(record, collectionPath, this.store, this.uploads, fields);
    return record;
  }

  /** Each parent in the path (the deployment of a deploy, the organization) must exist. */
  private checkParents(operation: FakeOperation, path: string): void {
    const template = operation.path.split("/");
    // The router has checked that every segment decodes and holds no `/`.
    const segments = path.split("/").map(decodeURIComponent);
    for (let i = 1; i < template.length; i++) {
      if (!template[i]!.startsWith("{")) continue;
      const collection = template.slice(0, i).join("/");
      if (this.collections.has(collection) && !this.store.get(segments.slice(0, i).join("/"), segments[i]!))
        throw new NotFound(`${this.recordSchemas.get(collection) ?? "resource"} ${segments[i]} not found`);
    }
  }

  private answer(op: FakeOperation, record: FakeRecord, requestId: string): FakeHttpResponse {
    if (op.success.contentType === undefined) return emptyResponse(op.success.status, requestId);
    const sample = op.success.sample === undefined ? undefined : this.model.samples[op.success.sample];
    return jsonResponse(
      op.success.status,
      project(record, sample, op.success.sample === op.record),
      requestId,
    );
  }

  /** Performs a routed request whose query and body the validator accepted. */
  perform(
    match: RouteMatch,
    query: Record<string, unknown>,
    body: unknown,
    path: string,
    requestId: string,
  ): FakeHttpResponse {
    const { operation: op, params } = match;
    this.checkParents(op, path);
    const collectionPath = match.collectionPath ?? "";
    const schema = op.record ?? "";
    const itemId = (): string => decodeURIComponent(path.split("/")[op.collection!.split("/").length]!);
    const existing = (): FakeRecord => {
      const record = this.store.get(collectionPath, itemId());
      if (!record) throw new NotFound(`${schema} ${itemId()} not found`);
      return record;
    };
    switch (op.role) {
      case "create": {
        // A create without an answer that takes a list of ids (AddTeamMembers) adds one record per id.
        const ids =
          op.success.contentType === undefined && body && typeof body === "object"
            ? Object.entries(body as Record<string, unknown>).find(
                ([k, v]) => k.endsWith("Ids") && Array.isArray(v),
              )?.[1]
            : undefined;
        const keys: (string | undefined)[] = Array.isArray(ids) ? ids.map(String) : [undefined];
        let created: FakeRecord = {};
        for (const key of keys) {
          created = this.newRecord(
            schema,
            key === undefined ? {} : { [this.keyField(schema)]: key },
            params,
            collectionPath,
          );
          applyBody(created, op, body);
          // The deploy's type came with the body: its upload URL depends on it.
          if (schema === "Deploy") prepareDeploy(created, collectionPath, this.store, this.uploads, body);
          this.store.put(collectionPath, String(created[this.keyField(schema)]), created);
        }
        return this.answer(op, created, requestId);
      }
      case "read": {
        const record = existing();
        this.lifecycles.observe(record, true);
        this.lags.read(record);
        return this.answer(op, record, requestId);
      }
      case "update":
      case "itemAction": {
        const record = existing();
        if (this.working(schema, record)) return this.busy(record, requestId);
        const problems =
          op.operationId === "FinalizeDeploy" ? finalizeProblems(record, body, this.uploads) : [];
        if (problems.length) return errorResponse(400, "Invalid request", requestId, problems);
        applyBody(record, op, body);
        stamp(record, {}, this.clock.now(), false);
        if (op.operationId === "FinalizeDeploy") this.finalized(record, collectionPath, body);
        if (op.operationId === "UpdateDeployment") this.lags.updated(record);
        this.lifecycles.applied(op.operationId, schema, record);
        this.lifecycles.observe(record, false);
        return this.answer(op, record, requestId);
      }
      case "delete": {
        const current = existing();
        if (this.working(schema, current)) return this.busy(current, requestId);
        // existing() found it: the removal cannot miss.
        this.store.remove(collectionPath, itemId());
        this.lifecycles.forget(current);
        this.lags.forget(current);
        return emptyResponse(op.success.status, requestId);
      }
      case "list": {
        const all = this.store.list(collectionPath);
        for (const record of all) this.lifecycles.observe(record, false);
        const kept = sortRecords(filterRecords(all, query, op.collection!), query.sorts);
        // The validator bounds both; with validation off, a value the API would refuse falls back.
        const offset = typeof query.offset === "number" && query.offset > 0 ? Math.floor(query.offset) : 0;
        const limit =
          typeof query.limit === "number" && query.limit >= 0 ? Math.floor(query.limit) : defaultLimit(op);
        const page = cloneJson(this.model.samples[op.success.sample!]) as FakeRecord;
        const itemSample = this.model.samples[op.success.itemSample!];
        const sameSchema = op.success.itemSample === op.record;
        page[op.success.itemsKey!] = kept
          .slice(offset, offset + limit)
          .map((r) => project(r, itemSample, sameSchema));
        Object.assign(page, { offset, limit, totalCount: kept.length });
        return jsonResponse(op.success.status, page, requestId);
      }
      case "static":
        return this.staticAnswer(op, requestId);
    }
  }

  /** Whether a cluster workflow still runs on `record` (a look at it first moves it on, if its time has come). */
  private working(schema: string, record: FakeRecord): boolean {
    if (schema !== "Cluster") return false;
    this.lifecycles.observe(record, false);
    return this.lifecycles.busy(record);
  }

  /** Astro's answer to a cluster update or delete while a cluster workflow runs. */
  private busy(record: FakeRecord, requestId: string): FakeHttpResponse {
    return errorResponse(409, `a workflow is already running for cluster ${String(record.id)}`, requestId);
  }

  /** A finalized deploy's version is what its deployment wants; it has it once the deploy is DEPLOYED. */
  private finalized(deploy: FakeRecord, deploysPath: string, body: unknown): void {
    const parts = deploysPath.split("/");
    const deployment = this.store.get(parts.slice(0, -2).join("/"), parts.at(-2)!);
    if (!deployment) return;
    if (finalizeBundle(deploy, body)) return void this.deploymentOf.set(deploy, deployment);
    if (deploy.dagTarballVersion === undefined) return;
    deployment.desiredDagTarballVersion = deploy.dagTarballVersion;
    this.deploymentOf.set(deploy, deployment);
  }

  /**
   * Called by the lifecycles when a record reached its end status: a DEPLOYED deploy's version
   * is served a little later (the Deployment's `dagTarballVersion`, or the bundle's `currentVersion`).
   */
  ended(record: FakeRecord): void {
    const deployment = this.deploymentOf.get(record);
    if (!deployment || record.status !== "DEPLOYED") return;
    if (Array.isArray(record.bundles)) return this.lags.later(record, () => serveBundle(record));
    const version = record.dagTarballVersion;
    this.lags.later(deployment, () => {
      // A later deploy may have been finalized meanwhile: only the version still desired lands.
      if (deployment.desiredDagTarballVersion === version) deployment.dagTarballVersion = version;
    });
  }

  /** Operations that are not plain resources answer the document's example. */
  private staticAnswer(op: FakeOperation, requestId: string): FakeHttpResponse {
    const { status, contentType, sample } = op.success;
    if (contentType === undefined) return emptyResponse(status, requestId);
    if (!contentType.includes("json"))
      return {
        status,
        headers: { "content-type": contentType, "x-request-id": requestId },
        body: new TextEncoder().encode("fake audit log\n"),
      };
    return jsonResponse(status, this.model.samples[sample!], requestId);
  }
}
