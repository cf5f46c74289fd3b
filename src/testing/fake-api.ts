/**
 * The fake itself, without a transport: gateway (token, rate limits), routing by the model's path
 * templates, fault injection and validation in front of the resources (resources.ts) and the
 * upload URL (uploads.ts). `handle` is synchronous, so a request costs no extra turns of the
 * event loop.
 */
import { createClock } from "./clock.js";
import { errorResponse, textResponse, type FakeHttpRequest, type FakeHttpResponse } from "./exchange.js";
import { createFaults } from "./faults.js";
import { authenticate, createRateLimiter, fakeRateLimits, type RateLimiter } from "./gateway.js";
import { createLifecycles } from "./lifecycles.js";
import { Lags } from "./lags.js";
import type { FakeModel } from "./model.js";
import { DEFAULT_FAKE_ORGANIZATION_ID, DEFAULT_FAKE_TOKEN, type AstroFakeOptions } from "./options.js";
import { readQuery } from "./query.js";
import { NotFound, Resources } from "./resources.js";
import { createRouter, type RouteMatch } from "./router.js";
import { FakeStore } from "./state.js";
import { createControls, type AstroFakeControls, type FakeRequestLog } from "./controls.js";
import { azureError, UPLOAD_OPERATION, UPLOAD_PREFIX, UploadEndpoint } from "./uploads.js";
import { createValidator, type RequestValidator } from "./validation.js";

export const BASE_PATH = "/v1";
/** The id of the user every fake starts with (the token's owner). */
const FAKE_USER_ID = "clfakeuser000000000000001";

export interface FakeCore {
  handle(request: FakeHttpRequest): FakeHttpResponse;
  readonly controls: AstroFakeControls;
}

/**
 * Builds a fake answering at `origin` (used for the upload URLs it hands out), from options its
 * entry (`startAstroFake`, `astroFakeHandlers`) has checked with `checkFakeOptions`.
 */
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
    options.rateLimits === false ? undefined : createRateLimiter(fakeRateLimits(options.rateLimits));
  const organizationId = options.organizationId ?? DEFAULT_FAKE_ORGANIZATION_ID;
  const clock = createClock();
  const faults = createFaults(options.faults, [
    ...model.operations.map((op) => op.operationId),
    UPLOAD_OPERATION,
  ]);
  // The resources need the lifecycles, and hear back from them when a record reaches its end.
  // No record can end before `resources` exists: lifecycles only run for records it created.
  const lifecycles = createLifecycles(options.lifecycles ?? {}, clock, model.statusEnums, (record) =>
    resources.ended(record),
  );
  const store = new FakeStore();
  const uploads = new UploadEndpoint(origin, clock);
  const lifecycleOptions = options.lifecycles ?? {};
  const lags = new Lags(lifecycleOptions.liveVersion, lifecycleOptions.deploymentUpdate, clock);
  const resources = new Resources(model, store, lifecycles, uploads, clock, lags);
  const route = createRouter(model);
  let requestCounter = 0;
  const requests: FakeRequestLog[] = [];

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
      response = handleOperation(routed.match, request, path, requestId);
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
    path: string,
    requestId: string,
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
        // The entries are in `fieldErrors`; the SDK lists them after the message, so naming them here too
        // would say each twice.
        `Invalid request: ${problems.length} field error${problems.length === 1 ? "" : "s"}`,
        requestId,
        problems,
      );
    try {
      return resources.perform(match, query, body, path, requestId);
    } catch (error) {
      // With validation off a body may nest deeper than copying it can recurse: the client's fault.
      if (!(error instanceof RangeError && /call stack/i.test(error.message))) throw error;
      return errorResponse(400, "the request body is nested too deeply", requestId, [
        { code: "invalid", field: "body", message: "is nested too deeply" },
      ]);
    }
  };

  const faultResponse = (
    replace: { kind: "reset" } | { kind: "error"; status: number },
    requestId: string,
  ): FakeHttpResponse =>
    replace.kind === "reset"
      ? { status: 0, headers: {}, reset: true }
      : errorResponse(replace.status, "injected fault", requestId);

  // Every fake starts with its organization and the user the token belongs to.
  const seedStart = (): void => {
    const orgFields = { id: organizationId, name: "Fake Organization" };
    store.put(
      "/organizations",
      organizationId,
      resources.newRecord("Organization", orgFields, {}, "/organizations"),
    );
    const usersPath = `/organizations/${organizationId}/users`;
    store.put(
      usersPath,
      FAKE_USER_ID,
      resources.newRecord("User", { id: FAKE_USER_ID, organizationId }, {}, usersPath),
    );
  };
  seedStart();

  const controls = createControls({
    token: tokens === "any" ? DEFAULT_FAKE_TOKEN : (tokens[0] ?? DEFAULT_FAKE_TOKEN),
    organizationId,
    store,
    clock,
    faults,
    uploads: uploads.received,
    requests,
    settle: () => {
      lifecycles.settle();
      lags.settle();
    },
    reset() {
      store.clear();
      lifecycles.clear();
      lags.clear();
      uploads.clear();
      requests.length = 0;
      faults.clear();
      faults.set(options.faults);
      clock.reset();
      seedStart();
    },
    recordSchemas: resources.recordSchemas,
    newRecord: (schema, fields, params, collectionPath) =>
      resources.newRecord(schema, fields, params, collectionPath),
    keyField: (schema) => resources.keyField(schema),
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
      const log: FakeRequestLog = { method: request.method, path: request.path, status: 0, requestId };
      const apiVersion = request.header("x-api-version");
      if (apiVersion !== undefined) log.apiVersion = apiVersion;
      requests.push(log);
      let response: FakeHttpResponse;
      if (request.path.startsWith(UPLOAD_PREFIX)) {
        log.operationId = UPLOAD_OPERATION;
        const fault = faults.decide(UPLOAD_OPERATION);
        // An `after` fault stores the upload and loses only the answer.
        const handled = !fault.replace || fault.after ? uploads.handle(request, requestId) : undefined;
        // The blob store fails in its own words (Azure's XML), not in the API's.
        const failed =
          fault.replace?.kind === "error"
            ? azureError(fault.replace.status, "InternalError", "injected fault", requestId)
            : fault.replace && faultResponse(fault.replace, requestId);
        response = failed ?? handled!;
        response = { ...response, delayMs: fault.delayMs };
      } else if (request.path === BASE_PATH || request.path.startsWith(`${BASE_PATH}/`)) {
        response = handleApi(request, requestId, log);
      } else response = textResponse(404, "Not Found");
      log.status = response.reset ? 0 : response.status;
      return response;
    },
  };
}
