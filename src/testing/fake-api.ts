/**
 * The fake itself, without a transport: gateway (token, rate limits), routing by the model's path
 * templates, fault injection, validation, and the state operations by path shape. `handle` is
 * synchronous, so a request costs no extra turns of the event loop.
 *
 * Length: the dispatch over roles is one piece and reads best in one place; ~250 lines.
 */
import { createClock } from "./clock.js";
import {
  errorResponse,
  emptyResponse,
  jsonResponse,
  textResponse,
  type FakeHttpRequest,
  type FakeHttpResponse,
} from "./exchange.js";
import { createFaults } from "./faults.js";
import { ASTRO_RATE_LIMITS, authenticate, createRateLimiter, type RateLimiter } from "./gateway.js";
import { createLifecycles } from "./lifecycles.js";
import type { FakeModel, FakeOperation } from "./model.js";
import { DEFAULT_FAKE_ORGANIZATION_ID, DEFAULT_FAKE_TOKEN, type AstroFakeOptions } from "./options.js";
import { readQuery } from "./query.js";
import { idSequence } from "./random.js";
import { applyBody, cloneJson, defaultLimit, filterRecords, project, sortRecords, stamp } from "./records.js";
import { createRouter, type RouteMatch } from "./router.js";
import { FakeStore, type FakeRecord } from "./state.js";
import { createControls, type AstroFakeControls, type FakeRequestLog } from "./controls.js";
import { UPLOAD_OPERATION, UPLOAD_PREFIX, UploadEndpoint } from "./uploads.js";
import { createValidator, type FieldError, type RequestValidator } from "./validation.js";

export const BASE_PATH = "/v1";

export interface FakeCore {
  handle(request: FakeHttpRequest): FakeHttpResponse;
  readonly controls: AstroFakeControls;
}

class NotFound extends Error {}

/** Builds a fake answering at `origin` (used for the upload URLs it hands out). */
export async function createFakeCore(
  model: FakeModel,
  options: AstroFakeOptions,
  origin: string,
): Promise<FakeCore> {
  const validator: RequestValidator | undefined =
    options.validate === false ? undefined : await createValidator(model);
  const tokens = options.tokens ?? [DEFAULT_FAKE_TOKEN];
  const accepted = tokens === "any" ? "any" : new Set(tokens);
  const limiter: RateLimiter | undefined =
    options.rateLimits === false
      ? undefined
      : createRateLimiter({ ...ASTRO_RATE_LIMITS, ...options.rateLimits });
  const organizationId = options.organizationId ?? DEFAULT_FAKE_ORGANIZATION_ID;
  const clock = createClock();
  const faults = createFaults(options.faults);
  const lifecycles = createLifecycles(options.lifecycles ?? {}, clock, model.statusEnums);
  const store = new FakeStore();
  const uploads = new UploadEndpoint(origin, clock);
  const route = createRouter(model);
  const nextId = idSequence();
  let requestCounter = 0;
  const requests: FakeRequestLog[] = [];
  const collections = new Set(model.operations.flatMap((op) => (op.collection ? [op.collection] : [])));
  const recordSchemaOf = new Map(
    model.operations.flatMap((op) =>
      op.collection && op.record ? [[op.collection, op.record] as const] : [],
    ),
  );

  /** The field a record is known by: `id`, else its first `…Id` field (a team member's `userId`). */
  const keyField = (schema: string): string => {
    const sample = model.samples[schema] as Record<string, unknown>;
    return "id" in sample ? "id" : (Object.keys(sample).find((k) => k.endsWith("Id")) ?? "id");
  };

  const newRecord = (schema: string, fields: FakeRecord, params: Record<string, string>): FakeRecord => {
    const record = cloneJson(model.samples[schema]) as FakeRecord;
    const key = keyField(schema);
    record[key] = fields[key] ?? nextId();
    stamp(record, params, clock.now(), true);
    Object.assign(record, fields);
    lifecycles.created(schema, record);
    return record;
  };

  /** Each parent in the path (the deployment of a deploy, the organization) must exist. */
  const checkParents = (operation: FakeOperation, path: string): void => {
    const template = operation.path.split("/");
    // The router has checked that every segment decodes and holds no `/`.
    const segments = path.split("/").map(decodeURIComponent);
    for (let i = 1; i < template.length; i++) {
      if (!template[i]!.startsWith("{")) continue;
      const collection = template.slice(0, i).join("/");
      if (!collections.has(collection)) continue;
      const id = segments[i]!;
      if (!store.get(segments.slice(0, i).join("/"), id))
        throw new NotFound(`${recordSchemaOf.get(collection) ?? "resource"} ${id} not found`);
    }
  };

  const answer = (op: FakeOperation, record: FakeRecord, requestId: string): FakeHttpResponse => {
    if (op.success.contentType === undefined) return emptyResponse(op.success.status, requestId);
    const sample = op.success.sample === undefined ? undefined : model.samples[op.success.sample];
    return jsonResponse(
      op.success.status,
      project(record, sample, op.success.sample === op.record),
      requestId,
    );
  };

  const perform = (
    match: RouteMatch,
    query: Record<string, unknown>,
    body: unknown,
    requestId: string,
    path: string,
  ): FakeHttpResponse => {
    const { operation: op, params, collectionPath } = match;
    checkParents(op, path);
    const schema = op.record ?? "";
    const itemId = (): string => decodeURIComponent(path.split("/")[op.collection!.split("/").length]!);
    const existing = (): FakeRecord => {
      const record = store.get(collectionPath!, itemId());
      if (!record) throw new NotFound(`${schema} ${itemId()} not found`);
      return record;
    };
    switch (op.role) {
      case "create": {
        const idsField =
          op.success.contentType === undefined && body && typeof body === "object"
            ? Object.entries(body).find(([k, v]) => k.endsWith("Ids") && Array.isArray(v))
            : undefined;
        // A create without an answer that takes a list of ids (AddTeamMembers) adds one record per id.
        const keys: (string | undefined)[] = idsField ? (idsField[1] as unknown[]).map(String) : [undefined];
        let created: FakeRecord = {};
        for (const key of keys) {
          created = newRecord(schema, key === undefined ? {} : { [keyField(schema)]: key }, params);
          applyBody(created, op, body);
          if (schema === "Deploy") prepareDeploy(created, collectionPath!);
          store.put(collectionPath!, String(created[keyField(schema)]), created);
        }
        return answer(op, created, requestId);
      }
      case "read": {
        const record = existing();
        lifecycles.observe(record, true);
        return answer(op, record, requestId);
      }
      case "update":
      case "itemAction": {
        const record = existing();
        if (op.operationId === "FinalizeDeploy") {
          const problems = finalizeProblems(record, body);
          if (problems.length) return errorResponse(400, "Invalid request", requestId, problems);
        }
        applyBody(record, op, body);
        stamp(record, {}, clock.now(), false);
        lifecycles.applied(op.operationId, schema, record);
        lifecycles.observe(record, false);
        return answer(op, record, requestId);
      }
      case "delete": {
        const record = store.remove(collectionPath!, itemId());
        if (!record) throw new NotFound(`${schema} ${itemId()} not found`);
        lifecycles.forget(record);
        return emptyResponse(op.success.status, requestId);
      }
      case "list": {
        const all = store.list(collectionPath!);
        for (const record of all) lifecycles.observe(record, false);
        const kept = sortRecords(filterRecords(all, query, op.collection!), query.sorts);
        const offset = typeof query.offset === "number" ? query.offset : 0;
        const limit = typeof query.limit === "number" ? query.limit : defaultLimit(op);
        const page = cloneJson(model.samples[op.success.sample!]) as FakeRecord;
        const itemSample = model.samples[op.success.itemSample!];
        page[op.success.itemsKey!] = kept
          .slice(offset, offset + limit)
          .map((r) => project(r, itemSample, op.success.itemSample === op.record));
        Object.assign(page, { offset, limit, totalCount: kept.length });
        return jsonResponse(op.success.status, page, requestId);
      }
      case "static": {
        if (op.success.contentType === undefined) return emptyResponse(op.success.status, requestId);
        if (!op.success.contentType.includes("json"))
          return {
            status: op.success.status,
            headers: { "content-type": op.success.contentType, "x-request-id": requestId },
            body: new TextEncoder().encode("fake audit log\n"),
          };
        return jsonResponse(op.success.status, model.samples[op.success.sample!], requestId);
      }
    }
  };

  /** A new deploy gets an upload URL of the fake's own when its deployment takes DAG deploys. */
  const prepareDeploy = (deploy: FakeRecord, deploysPath: string): void => {
    const deploymentsPath = deploysPath.split("/").slice(0, -2).join("/");
    const deployment = store.get(deploymentsPath, deploysPath.split("/").at(-2)!);
    deploy.isDagDeployEnabled = deployment?.isDagDeployEnabled !== false;
    if (deploy.isDagDeployEnabled && deploy.type !== "IMAGE_ONLY")
      deploy.dagsUploadUrl = uploads.urlFor(String(deploy.id));
    else delete deploy.dagsUploadUrl;
  };

  const finalizeProblems = (deploy: FakeRecord, body: unknown): FieldError[] => {
    if (deploy.dagsUploadUrl === undefined) return [];
    const version = (body as { dagTarballVersion?: unknown } | undefined)?.dagTarballVersion;
    if (version === undefined)
      return [
        { code: "required", field: "dagTarballVersion", message: "is required for a deploy with DAGs" },
      ];
    if (!uploads.versionsOf(String(deploy.id)).includes(String(version)))
      return [
        {
          code: "invalid",
          field: "dagTarballVersion",
          message: "is not a version uploaded to this deploy's dagsUploadUrl",
        },
      ];
    return [];
  };

  const handleApi = (request: FakeHttpRequest, requestId: string, log: FakeRequestLog): FakeHttpResponse => {
    const auth = authenticate(request.header("authorization"), accepted);
    if (!auth.ok) return textResponse(auth.status, auth.text);
    const wait = limiter?.take(auth.token, request.method, Date.now());
    if (wait !== undefined)
      return errorResponse(429, "API rate limit exceeded", requestId, undefined, {
        "retry-after": String(Math.ceil(wait / 1000)),
      });
    const path = request.path.slice(BASE_PATH.length);
    const routed = route(request.method, path);
    if (routed.kind === "not-found")
      return errorResponse(404, `no route for ${request.method} ${request.path}`, requestId);
    if (routed.kind === "method-not-allowed")
      return errorResponse(405, `method ${request.method} not allowed`, requestId, undefined, {
        allow: routed.allowed.join(", "),
      });
    const op = routed.match.operation;
    log.operationId = op.operationId;
    const fault = faults.decide(op.operationId);
    if (fault.replace && !fault.after)
      return { ...faultResponse(fault.replace, requestId), delayMs: fault.delayMs };
    let response: FakeHttpResponse;
    try {
      response = handleOperation(routed.match, request, requestId, path);
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
      response = errorResponse(404, error.message, requestId);
    }
    if (fault.replace) response = faultResponse(fault.replace, requestId);
    return { ...response, delayMs: fault.delayMs };
  };

  const handleOperation = (
    match: RouteMatch,
    request: FakeHttpRequest,
    requestId: string,
    path: string,
  ): FakeHttpResponse => {
    let body: unknown;
    if (request.body.length > 0) {
      try {
        body = JSON.parse(new TextDecoder().decode(request.body));
      } catch {
        return errorResponse(400, "the request body is not valid JSON", requestId, [
          { code: "invalid", field: "body", message: "is not valid JSON" },
        ]);
      }
    }
    const query = readQuery(match.operation, request.query);
    const problems = validator?.check(match.operation, query, body) ?? [];
    if (problems.length)
      return errorResponse(
        400,
        `Invalid request: ${problems.map((p) => `${p.field} ${p.message}`).join("; ")}`,
        requestId,
        problems,
      );
    return perform(match, query, body, requestId, path);
  };

  const faultResponse = (
    replace: { kind: "reset" } | { kind: "error"; status: number },
    requestId: string,
  ): FakeHttpResponse =>
    replace.kind === "reset"
      ? { status: 0, headers: {}, reset: true }
      : errorResponse(replace.status, "injected fault", requestId);

  // Every fake starts with its organization and the user the token belongs to.
  store.put(
    "/organizations",
    organizationId,
    newRecord("Organization", { id: organizationId, name: "Fake Organization" }, {}),
  );
  const usersPath = `/organizations/${organizationId}/users`;
  const self = newRecord("User", { organizationId }, {});
  store.put(usersPath, String(self.id), self);

  const controls = createControls({
    token: tokens === "any" ? DEFAULT_FAKE_TOKEN : (tokens[0] ?? DEFAULT_FAKE_TOKEN),
    organizationId,
    store,
    clock,
    faults,
    uploads: uploads.received,
    requests,
    settle: () => lifecycles.settle(),
    recordSchemas: recordSchemaOf,
    newRecord(schema, fields, params, collectionPath) {
      const record = newRecord(schema, fields, params);
      if (schema === "Deploy") prepareDeploy(record, collectionPath);
      return record;
    },
    keyField,
    settleRecord(record, status) {
      if (status === undefined) return lifecycles.complete(record);
      lifecycles.forget(record);
      record.status = status;
    },
  });
  return {
    controls,
    handle(request) {
      const requestId = `fakereq${(++requestCounter).toString(36).padStart(8, "0")}`;
      const log: FakeRequestLog = { method: request.method, path: request.path, status: 0 };
      requests.push(log);
      let response: FakeHttpResponse;
      if (request.path.startsWith(UPLOAD_PREFIX)) {
        log.operationId = UPLOAD_OPERATION;
        const fault = faults.decide(UPLOAD_OPERATION);
        response = fault.replace
          ? faultResponse(fault.replace, requestId)
          : uploads.handle(request, requestId);
        response = { ...response, delayMs: fault.delayMs };
      } else if (request.path === BASE_PATH || request.path.startsWith(`${BASE_PATH}/`)) {
        response = handleApi(request, requestId, log);
      } else response = textResponse(404, "Not Found");
      log.status = response.reset ? 0 : response.status;
      return response;
    },
  };
}
