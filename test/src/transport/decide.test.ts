/**
 * The retry policy as a table, with no server: `decide(outcome, call, attempt)` for every status
 * class, network failures and timeouts, each form of Retry-After, idempotent and not.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AstroApiError,
  AstroConnectionError,
  AstroTimeoutError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  operations,
  PreconditionFailedError,
  RateLimitError,
  UnauthorizedError,
  UnprocessableEntityError,
  type OperationInfo,
} from "../../../src/index.js";
import { DEFAULT_RETRY } from "../../../src/transport/retry.js";
import {
  decide,
  type AttemptState,
  type CallPlan,
  type Decision,
  type Outcome,
} from "../../../src/transport/decide.js";

function operation(id: string): OperationInfo {
  const found = operations.find((o) => o.operationId === id);
  if (!found) throw new Error(`no operation ${id}`);
  return found;
}

/** One call of each kind the policy tells apart. */
const CALLS = {
  read: operation("ListOrganizations"),
  create: operation("CreateWorkspace"),
  update: operation("UpdateWorkspace"),
  delete: operation("DeleteDeployment"),
  action: operation("RotateApiToken"),
} as const;
type Kind = keyof typeof CALLS;

function plan(kind: Kind, overrides: Partial<CallPlan> = {}): CallPlan {
  const op = CALLS[kind];
  return {
    record: { api: op.api, method: op.method.toUpperCase(), path: op.path, operationId: op.operationId },
    url: `https://api.example${op.path}`,
    operation: op,
    idempotent: op.idempotent,
    retry: DEFAULT_RETRY,
    timeoutMs: 60_000,
    ...overrides,
  };
}

const NOW = Date.parse("2024-07-31T12:00:00Z");

function attempt(number: number, overrides: Partial<AttemptState> = {}): AttemptState {
  return { number, ambiguous: false, token: "tok-123", now: NOW, jitter: 0.5, ...overrides };
}

function answered(status: number, body = "", headers: Record<string, string> = {}): Outcome {
  // Statuses that cannot carry a body are built without one; the policy reads `text` anyway.
  const response = new Response([204, 205, 304].includes(status) ? null : body, { status, headers });
  return { kind: "response", response, text: body, durationMs: 1 };
}

function failed(error: unknown, timedOut = false): Outcome {
  return { kind: "failure", error, timedOut, durationMs: 1 };
}

const reset = Object.assign(new TypeError("fetch failed"), {
  cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
});
const timeout = new DOMException("no response within 60000 ms", "TimeoutError");

function errorOf(decision: Decision): Error {
  if (decision.action !== "throw") throw new Error(`expected throw, got ${decision.action}`);
  return decision.error;
}

/** Backoff with jitter 0.5 at DEFAULT_RETRY: ¾ of min(8000, 500 · 2^retry). */
const backoff = (retry: number) => Math.round(Math.min(8000, 500 * 2 ** retry) * 0.75);

describe("decide: table", () => {
  type Row = [name: string, kind: Kind, outcome: Outcome, state: AttemptState, expected: Expected];
  type Expected =
    | { action: "return"; data?: unknown; status?: number }
    | { action: "retry"; delayMs: number; ambiguous: boolean }
    | { action: "throw"; error: abstract new (...args: never[]) => Error; message?: RegExp };

  const rows: Row[] = [
    // 2xx
    ["GET 200 JSON", "read", answered(200, '{"a":1}'), attempt(1), { action: "return", data: { a: 1 } }],
    [
      "create 200 JSON",
      "create",
      answered(200, '{"id":"w"}'),
      attempt(1),
      { action: "return", data: { id: "w" } },
    ],
    [
      "GET 200, empty body",
      "read",
      answered(200, ""),
      attempt(1),
      { action: "throw", error: InvalidResponseError, message: /sent an empty body/ },
    ],
    [
      "GET 204 where JSON is declared",
      "read",
      answered(204),
      attempt(1),
      { action: "throw", error: InvalidResponseError, message: /sent 204 No Content/ },
    ],
    [
      "GET 200, HTML",
      "read",
      answered(200, "<html>login</html>", { "content-type": "text/html" }),
      attempt(1),
      { action: "throw", error: InvalidResponseError, message: /a body that is not JSON/ },
    ],
    ["DELETE 204", "delete", answered(204), attempt(1), { action: "return", data: undefined, status: 204 }],
    [
      "DELETE 200 with garbage: no body declared, so success",
      "delete",
      answered(200, "<<not json>>"),
      attempt(1),
      { action: "return", data: undefined, status: 200 },
    ],
    // 3xx not followed by the attempt
    [
      "GET 307 to another origin",
      "read",
      answered(307, "", { location: "https://elsewhere.example/x" }),
      attempt(1),
      {
        action: "throw",
        error: AstroApiError,
        message: /Redirect to https:\/\/elsewhere\.example\/x not followed/,
      },
    ],
    // 4xx
    [
      "400",
      "read",
      answered(400, '{"message":"bad"}'),
      attempt(1),
      { action: "throw", error: BadRequestError },
    ],
    ["401", "read", answered(401, "Unauthorized"), attempt(1), { action: "throw", error: UnauthorizedError }],
    ["403", "read", answered(403), attempt(1), { action: "throw", error: ForbiddenError }],
    ["404", "read", answered(404), attempt(1), { action: "throw", error: NotFoundError }],
    ["409", "create", answered(409), attempt(1), { action: "throw", error: ConflictError }],
    ["412", "update", answered(412), attempt(1), { action: "throw", error: PreconditionFailedError }],
    ["422", "create", answered(422), attempt(1), { action: "throw", error: UnprocessableEntityError }],
    ["418", "read", answered(418), attempt(1), { action: "throw", error: AstroApiError }],
    // DELETE 404 after an ambiguous attempt
    [
      "DELETE 404 after an ambiguous attempt",
      "delete",
      answered(404),
      attempt(2, { ambiguous: true }),
      { action: "return", status: 204 },
    ],
    [
      "DELETE 404 on the first attempt",
      "delete",
      answered(404),
      attempt(1),
      { action: "throw", error: NotFoundError },
    ],
    [
      "DELETE 404 on a retry after a 429 (not ambiguous)",
      "delete",
      answered(404),
      attempt(2, { ambiguous: false }),
      { action: "throw", error: NotFoundError },
    ],
    [
      "GET 404 after an ambiguous attempt",
      "read",
      answered(404),
      attempt(2, { ambiguous: true }),
      { action: "throw", error: NotFoundError },
    ],
    // 429: any operation, Retry-After in each form
    [
      "429, Retry-After: 1",
      "create",
      answered(429, "", { "retry-after": "1" }),
      attempt(1),
      { action: "retry", delayMs: 1000, ambiguous: false },
    ],
    [
      "429, Retry-After: 2.5",
      "action",
      answered(429, "", { "retry-after": " 2.5 " }),
      attempt(1),
      { action: "retry", delayMs: 2500, ambiguous: false },
    ],
    [
      "429, Retry-After as an HTTP date 3 s ahead",
      "read",
      answered(429, "", { "retry-after": "Wed, 31 Jul 2024 12:00:03 GMT" }),
      attempt(1),
      { action: "retry", delayMs: 3000, ambiguous: false },
    ],
    [
      "429, Retry-After as a date in the past",
      "read",
      answered(429, "", { "retry-after": "Wed, 31 Jul 2024 11:00:00 GMT" }),
      attempt(1),
      { action: "retry", delayMs: 0, ambiguous: false },
    ],
    [
      "429, Retry-After garbage: backoff",
      "read",
      answered(429, "", { "retry-after": "soon" }),
      attempt(2),
      { action: "retry", delayMs: backoff(1), ambiguous: false },
    ],
    [
      "429, Retry-After negative: backoff",
      "read",
      answered(429, "", { "retry-after": "-1" }),
      attempt(1),
      { action: "retry", delayMs: backoff(0), ambiguous: false },
    ],
    [
      "429, no Retry-After: backoff",
      "create",
      answered(429),
      attempt(1),
      { action: "retry", delayMs: backoff(0), ambiguous: false },
    ],
    [
      "429, Retry-After huge",
      "read",
      answered(429, "", { "retry-after": "99999999999999999999" }),
      attempt(1),
      { action: "throw", error: RateLimitError },
    ],
    [
      "429, Retry-After beyond maxRetryAfterMs",
      "read",
      answered(429, "", { "retry-after": "61" }),
      attempt(1),
      { action: "throw", error: RateLimitError },
    ],
    [
      "429 after the last retry",
      "read",
      answered(429),
      attempt(3),
      { action: "throw", error: RateLimitError },
    ],
    // 5xx
    ["GET 503", "read", answered(503), attempt(1), { action: "retry", delayMs: backoff(0), ambiguous: true }],
    [
      "update 500",
      "update",
      answered(500),
      attempt(2),
      { action: "retry", delayMs: backoff(1), ambiguous: true },
    ],
    [
      "DELETE 502",
      "delete",
      answered(502),
      attempt(1),
      { action: "retry", delayMs: backoff(0), ambiguous: true },
    ],
    [
      "GET 504 after the last retry",
      "read",
      answered(504),
      attempt(3),
      { action: "throw", error: InternalServerError },
    ],
    [
      "create 503: never replayed",
      "create",
      answered(503),
      attempt(1),
      { action: "throw", error: InternalServerError, message: /the object may have been created/ },
    ],
    [
      "action 502: never replayed",
      "action",
      answered(502),
      attempt(1),
      { action: "throw", error: InternalServerError, message: /it may have taken effect/ },
    ],
    [
      "GET 501: not retried",
      "read",
      answered(501),
      attempt(1),
      { action: "throw", error: InternalServerError },
    ],
    [
      "GET 505: not retried",
      "read",
      answered(505),
      attempt(1),
      { action: "throw", error: InternalServerError },
    ],
    // No response
    [
      "GET reset",
      "read",
      failed(reset),
      attempt(1),
      { action: "retry", delayMs: backoff(0), ambiguous: true },
    ],
    [
      "GET timeout",
      "read",
      failed(timeout, true),
      attempt(2),
      { action: "retry", delayMs: backoff(1), ambiguous: true },
    ],
    [
      "GET reset after the last retry",
      "read",
      failed(reset),
      attempt(3),
      {
        action: "throw",
        error: AstroConnectionError,
        message: /ECONNRESET: read ECONNRESET .*after 3 attempts/,
      },
    ],
    [
      "create reset: never replayed",
      "create",
      failed(reset),
      attempt(1),
      { action: "throw", error: AstroConnectionError, message: /the object may have been created/ },
    ],
    [
      "create timeout: never replayed",
      "create",
      failed(timeout, true),
      attempt(1),
      {
        action: "throw",
        error: AstroTimeoutError,
        message: /no response within 60000 ms .*may have been created/,
      },
    ],
    [
      "create reset after a 429 retry: still never replayed",
      "create",
      failed(reset),
      attempt(2),
      { action: "throw", error: AstroConnectionError },
    ],
    [
      "a thrown non-Error",
      "read",
      failed("boom"),
      attempt(3),
      { action: "throw", error: AstroConnectionError, message: /boom/ },
    ],
  ];

  it.each(rows)("%s", (_, kind, outcome, state, expected) => {
    const decision = decide(outcome, plan(kind), state);
    expect(decision.action).toBe(expected.action);
    if (expected.action === "return" && decision.action === "return") {
      if ("data" in expected) expect(decision.data).toEqual(expected.data);
      if (expected.status !== undefined) expect(decision.response.status).toBe(expected.status);
    }
    if (expected.action === "retry" && decision.action === "retry") {
      expect(decision.delayMs).toBe(expected.delayMs);
      expect(decision.ambiguous).toBe(expected.ambiguous);
    }
    if (expected.action === "throw") {
      const error = errorOf(decision);
      expect(error).toBeInstanceOf(expected.error);
      if (expected.message) expect(error.message).toMatch(expected.message);
      expect(error).toMatchObject({ attempts: state.number, operationId: CALLS[kind].operationId });
    }
  });
});

describe("decide: properties over every status", () => {
  const kinds = fc.constantFrom<Kind>("read", "create", "update", "delete", "action");
  const statuses = fc.integer({ min: 200, max: 599 });
  const attempts = fc.integer({ min: 1, max: 4 });

  it("retries only a 429 (any operation) or an idempotent call's 500/502/503/504, and only while retries remain", () => {
    fc.assert(
      fc.property(kinds, statuses, attempts, fc.boolean(), (kind, status, number, ambiguous) => {
        const call = plan(kind);
        const decision = decide(answered(status, '{"message":"m"}'), call, attempt(number, { ambiguous }));
        const canRetry = number <= call.retry.maxRetries;
        const shouldRetry =
          canRetry && (status === 429 || (call.idempotent && [500, 502, 503, 504].includes(status)));
        expect(decision.action === "retry").toBe(shouldRetry);
        if (decision.action === "retry") expect(decision.ambiguous).toBe(status !== 429);
        if (status >= 200 && status < 300) expect(decision.action).toBe("return");
        if (decision.action === "throw") {
          expect(decision.error).toBeInstanceOf(AstroApiError);
          expect((decision.error as AstroApiError).status).toBe(status);
        }
      }),
    );
  });

  it("never replays a non-idempotent call after an ambiguous failure", () => {
    const ambiguousOutcomes = fc.oneof(
      fc.constantFrom(500, 502, 503, 504).map((status) => answered(status)),
      fc.constant(failed(reset)),
      fc.constant(failed(timeout, true)),
    );
    fc.assert(
      fc.property(
        fc.constantFrom<Kind>("create", "action"),
        ambiguousOutcomes,
        attempts,
        (kind, outcome, number) => {
          expect(decide(outcome, plan(kind), attempt(number)).action).toBe("throw");
        },
      ),
    );
  });

  it("a 2xx of an operation that declares no body succeeds whatever it carries", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 299 }).filter((s) => s !== 204),
        fc.string(),
        (status, body) => {
          const decision = decide(answered(status, body), plan("delete"), attempt(1));
          expect(decision).toMatchObject({ action: "return", data: undefined });
        },
      ),
    );
  });

  it("a 2xx where JSON is declared returns parsed JSON or throws InvalidResponseError, nothing else", () => {
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 299 }), fc.oneof(fc.json(), fc.string()), (status, body) => {
        const decision = decide(answered(status, status === 204 ? "" : body), plan("read"), attempt(1));
        if (decision.action === "return") expect(decision.data).toEqual(JSON.parse(body));
        else expect(errorOf(decision)).toBeInstanceOf(InvalidResponseError);
      }),
    );
  });

  it("the backoff stays within [d/2, d] of the doubling delay, capped", () => {
    fc.assert(
      fc.property(
        attempts.filter((n) => n <= 2),
        fc.double({ min: 0, max: 0.9999999, noNaN: true }),
        (number, jitter) => {
          const decision = decide(answered(503), plan("read"), attempt(number, { jitter }));
          const full = Math.min(8000, 500 * 2 ** (number - 1));
          expect(decision.action).toBe("retry");
          if (decision.action !== "retry") return;
          expect(decision.delayMs).toBeGreaterThanOrEqual(full / 2);
          expect(decision.delayMs).toBeLessThanOrEqual(full);
        },
      ),
    );
  });
});
