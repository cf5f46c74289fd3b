import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationsByDocument, type OperationInfo } from "../../generated/operations.js";
import { callOperation, operationUrl, type DocumentClients } from "../../scripts/contract/call-operation.js";
import { loadDocuments } from "../../scripts/contract/contract-documents.js";
import {
  contractOperations,
  representativeStatus,
  type ContractOperation,
} from "../../scripts/contract/contract-operations.js";
import {
  AstroApiError,
  BadRequestError,
  ConflictError,
  createAstroClient,
  ForbiddenError,
  InternalServerError,
  NotFoundError,
  PreconditionFailedError,
  RateLimitError,
  UnauthorizedError,
  UnprocessableEntityError,
  type AstroClientOptions,
  type AstroEvent,
} from "../../src/index.js";
import { startAstroMock, type AstroMock } from "../../src/mock/index.js";
import { DOCUMENT_NAMES, type DocumentName } from "../../src/operations/manifest.js";
import { createAstroClient as createV1beta1Client } from "../../src/v1beta1/index.js";
import { rejection } from "../helpers/client.js";
import { summarise } from "../helpers/run-summary.js";
import { violations } from "../helpers/prism.js";

// Every test below is generated from the pinned documents: an operation added to a future
// document gets its success, error and negative tests without editing this file.
const documents = await loadDocuments({}, DOCUMENT_NAMES);
const operations = contractOperations(documents);
const manifest: readonly OperationInfo[] = DOCUMENT_NAMES.flatMap(
  (name): readonly OperationInfo[] => operationsByDocument[name],
);
const MAX_RETRIES = 1;

/**
 * Operations that answer bytes (`application/octet-stream`: GetOrganizationAuditLogs). Prism 5.14
 * cannot serialise such a response as declared (it answers 500 "Cannot find serializer"), so the
 * mock serves a copy of the document in which these bodies are `string/binary`
 * (src/mock/binary-responses.ts): the request is validated as declared and the answer is bytes.
 * The byte-exact download is tested against a recording server (test/src/binary-download.test.ts).
 */
const isBinary = (op: ContractOperation): boolean =>
  manifest.find((m) => m.api === op.api && m.operationId === op.operationId)?.responseBody === "binary";

/** A class of error the SDK raises (their constructors differ: RateLimitError takes retryAfterMs). */
type ErrorClass = abstract new (...args: never[]) => AstroApiError;

/** The class the SDK must raise for a status, written out here rather than taken from the SDK. */
function expectedClass(status: number): ErrorClass {
  const byStatus: Record<number, ErrorClass> = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    412: PreconditionFailedError,
    422: UnprocessableEntityError,
    429: RateLimitError,
  };
  return byStatus[status] ?? (status >= 500 ? InternalServerError : AstroApiError);
}

function label(op: ContractOperation): string {
  return `${op.api} ${op.operationId} (${op.method.toUpperCase()} ${op.path})`;
}

let mock: AstroMock<DocumentName>;
/** The v1 client, and the v1beta1 client's two APIs, all on the one base URL of the mock. */
let astro: DocumentClients;
const events: AstroEvent[] = [];

beforeAll(async () => {
  // A seed makes `Prefer: dynamic=true` answers reproducible, so a reference request sent
  // without the SDK receives the same body the SDK does.
  mock = await startAstroMock({ seed: "astro-contract", serve: DOCUMENT_NAMES });
  const options: AstroClientOptions = {
    token: "contract-test-token",
    baseUrl: mock.url,
    // Throttling, retries and errors stay on; only the limits are raised for a local mock.
    throttle: { limits: { get: 500, post: 500, delete: 500 } },
    maxRetries: MAX_RETRIES,
    initialDelayMs: 1,
    maxDelayMs: 5,
    onEvent: (event) => events.push(event),
  };
  const v1beta1 = createV1beta1Client(options);
  astro = { v1: createAstroClient(options), platform: v1beta1.platform, iam: v1beta1.iam };
}, 90_000);

afterAll(async () => {
  await mock?.close();
});

describe("the contract is complete", () => {
  it("covers the same operations as the generated manifest", () => {
    const fromDocuments = operations
      .map((op) => `${op.api} ${op.method} ${op.path} ${op.operationId}`)
      .sort();
    const fromManifest = manifest.map((op) => `${op.api} ${op.method} ${op.path} ${op.operationId}`).sort();
    expect(fromDocuments).toEqual(fromManifest);
  });

  it("builds a request for every operation that satisfies its own schemas", () => {
    for (const op of operations) {
      for (const name of op.path.match(/\{([^}]+)\}/g) ?? [])
        expect(op.request.path, label(op)).toHaveProperty(name.slice(1, -1));
      for (const note of op.notes) console.log(`note: ${op.operationId}: ${note}`);
      expect(
        op.notes.filter((n) => n.includes("no example or sample")),
        label(op),
      ).toEqual([]);
    }
  });

  it("has response checks that can fail: a body that is not the declared one is rejected", () => {
    for (const op of operations) {
      expect(op.validateResponse(op.successStatuses[0]!, "not the declared body"), label(op)).not.toEqual([]);
    }
  });
});

describe("success: a valid request gets a declared success whose body conforms", () => {
  const covered = new Set<string>();

  for (const op of operations.filter(isBinary)) {
    it(`${label(op)}: a conforming request gets bytes, streamed untouched`, async () => {
      const since = events.length;
      const { data, response } = await callOperation(astro, op, op.request);
      expect(violations(response.headers), label(op)).toEqual([]);
      expect(op.successStatuses).toContain(response.status);
      expect(response.headers.get("content-type")).toMatch(/^application\/octet-stream/);
      expect(data).toBeInstanceOf(ReadableStream);
      const bytes = new Uint8Array(await new Response(data as ReadableStream<Uint8Array>).arrayBuffer());
      expect(bytes.byteLength).toBeGreaterThan(0);
      expect(op.validateResponse(response.status, bytes), label(op)).toEqual([]);
      const sent = events.slice(since).filter((e) => e.type === "response");
      expect(sent.map((e) => e.operationId)).toEqual([op.operationId]);
      // The check can fail: a malformed query is reported as a violation of this operation.
      const bad = await rejection(
        callOperation(astro, op, { ...op.request, query: { ...op.request.query, startDate: "yesterday" } }),
      );
      expect(JSON.stringify(violations((bad as AstroApiError).headers))).toMatch(/startdate/i);
      covered.add(`${op.api} ${op.operationId}`);
    });
  }

  for (const op of operations.filter((o) => !isBinary(o))) {
    it(label(op), async () => {
      for (const prefer of [undefined, "dynamic=true"]) {
        const since = events.length;
        const { data, response } = await callOperation(
          astro,
          op,
          op.request,
          prefer ? { Prefer: prefer } : {},
        );
        expect(violations(response.headers), `${label(op)} ${prefer ?? "examples"}`).toEqual([]);
        expect(op.successStatuses).toContain(response.status);
        expect(op.validateResponse(response.status, data), `${label(op)} ${prefer ?? "examples"}`).toEqual(
          [],
        );
        // The SDK knew which operation it was sending (IAM's roles/{customRoleId} and
        // roles/{roleId} match the same URLs; each must be exercised as itself).
        const sent = events.slice(since).filter((e) => e.type === "response");
        expect(sent.map((e) => e.operationId)).toEqual([op.operationId]);
      }
      covered.add(`${op.api} ${op.operationId}`);
    });
  }

  it("covers every operation of every pinned document", () => {
    const count = (api: DocumentName, of: Iterable<string>) =>
      [...of].filter((key) => key.startsWith(`${api} `)).length;
    const keys = operations.map((op) => `${op.api} ${op.operationId}`);
    const line = (done: Iterable<string>) =>
      `contract coverage: ${DOCUMENT_NAMES.map((api) => `${api} ${count(api, done)}/${count(api, keys)}`).join(", ")} operations`;
    summarise(line(covered));
    expect(line(covered)).toBe(line(keys));
    // The totals are the pins' own: a document that lost operations would pass the line above.
    expect(DOCUMENT_NAMES.map((api) => count(api, keys))).toEqual(
      DOCUMENT_NAMES.map((api) => operationsByDocument[api].length),
    );
  });
});

describe("errors: each declared error status raises its error class with the server's message and requestId", () => {
  // Binary operations' errors are bytes to Prism too (see isBinary).
  for (const op of operations.filter((o) => !isBinary(o))) {
    const idempotent = manifest.find((m) => m.api === op.api && m.operationId === op.operationId)?.idempotent;
    for (const declared of op.errorStatuses) {
      const status = representativeStatus(declared);
      const expected = expectedClass(status);
      it(`${label(op)} ${declared} → ${expected.name}`, async () => {
        const prefer = `code=${status}, dynamic=true`;
        // The same request without the SDK, for what the server really sends.
        const raw = await fetch(operationUrl(mock.urls[op.api], op, op.request), {
          method: op.method.toUpperCase(),
          headers: {
            authorization: "Bearer contract-test-token",
            prefer,
            ...(op.request.body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: op.request.body === undefined ? undefined : JSON.stringify(op.request.body),
        });
        const reference = (await raw.json()) as { message?: string; requestId?: string };
        expect(raw.status).toBe(status);
        expect(op.validateResponse(status, reference)).toEqual([]);

        const error = await rejection(callOperation(astro, op, op.request, { Prefer: prefer }));
        expect(error).toBeInstanceOf(expected);
        const apiError = error as AstroApiError;
        expect(apiError.status).toBe(status);
        expect(apiError.operationId).toBe(op.operationId);
        expect(apiError.requestId).toBe(reference.requestId);
        if (reference.message) {
          expect(apiError.detail).toContain(reference.message);
          expect(apiError.message).toContain(reference.message);
        }
        expect(apiError.body).toEqual(reference);
        // 5xx is retried only when repeating the operation is safe.
        expect(apiError.attempts).toBe(status >= 500 && idempotent ? MAX_RETRIES + 1 : 1);
      });
    }
  }
});

describe("negative: an invalid request is rejected with Prism's violation message", () => {
  const withInput = operations.filter((op) => op.invalid !== undefined);

  it("has an invalid request for every operation that takes a body or a required query parameter", () => {
    const required = operations.filter(
      (op) => op.request.body !== undefined || Object.keys(op.request.query).length > 0,
    );
    expect(withInput.map(label)).toEqual(required.map(label));
  });

  for (const op of withInput) {
    it(`${label(op)} with ${op.invalid!.what}`, async () => {
      const error = await rejection(callOperation(astro, op, op.invalid!.request));
      expect(
        [BadRequestError, UnprocessableEntityError].some((cls) => error instanceof cls),
        String(error),
      ).toBe(true);
      const apiError = error as AstroApiError;
      expect(apiError.attempts).toBe(1);
      // Prism answers a declared 400 with the document's example body and the violation in a
      // header, or (no 400 declared) with a problem+json body whose detail is the violation:
      // either way the SDK's detail (and so its message) carries it. Where the document declares
      // neither 400 nor 422 (v1's environment objects), Prism's 422 problem+json says only that
      // it made the error up, and lists the violation under `validation`, which the error's body keeps.
      const declares = op.errorStatuses.some((s) => s === "400" || s === "422" || s === "4XX");
      if (declares) {
        expect(apiError.detail).toMatch(op.invalid!.violation);
        expect(apiError.message).toMatch(op.invalid!.violation);
      } else {
        expect(apiError.status).toBe(422);
        expect(JSON.stringify(apiError.body)).toMatch(op.invalid!.violation);
      }
    });
  }
});
