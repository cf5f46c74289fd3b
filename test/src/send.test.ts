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
  PreconditionFailedError,
  RateLimitError,
  UnauthorizedError,
  UnprocessableEntityError,
  type AstroEvent,
} from "../../src/v1beta1/index.js";
import { clientFor, json, rejection, useRecordingServer } from "../helpers/client.js";
import { startRecordingServer } from "../helpers/recording-server.js";

const ctx = useRecordingServer();

const org = { params: { path: { organizationId: "o" } } };
const deployment = { params: { path: { organizationId: "o", deploymentId: "d" } } };
const createBody = { ...org, body: { name: "ws" } };

/** Answers each request with the next entry; the last one repeats. */
function script(...steps: ((res: import("node:http").ServerResponse) => void)[]): void {
  ctx.server.handle((_, res) => steps[Math.min(ctx.server.received.length - 1, steps.length - 1)]!(res));
}
const status =
  (code: number, body: unknown = { message: `status ${code}`, requestId: `r-${code}`, statusCode: code }) =>
  (res: import("node:http").ServerResponse) =>
    json(res, code, body);

describe("retries follow idempotency", () => {
  it("a GET answered 503 then 200 resolves", async () => {
    script(status(503), status(200, { organizations: [], totalCount: 0, offset: 0, limit: 20 }));
    const { data } = await clientFor(ctx.server).platform.GET("/organizations");
    expect(data.totalCount).toBe(0);
    expect(ctx.server.received).toHaveLength(2);
  });

  it("a create answered 503 is sent exactly once, and says the object may exist", async () => {
    script(status(503));
    const error = await rejection(
      clientFor(ctx.server).platform.POST("/organizations/{organizationId}/workspaces", createBody),
    );
    expect(ctx.server.received).toHaveLength(1);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.message).toMatch(
      /CreateWorkspace is not idempotent, so it was not retried: the object may have been created/,
    );
  });

  it("an update answered 500 is retried up to maxRetries, then surfaces", async () => {
    script(status(500));
    const error = (await rejection(
      clientFor(ctx.server).platform.POST("/organizations/{organizationId}/workspaces/{workspaceId}", {
        params: { path: { organizationId: "o", workspaceId: "w" } },
        body: { name: "renamed", description: "d", cicdEnforcedDefault: false },
      }),
    )) as InternalServerError;
    expect(ctx.server.received).toHaveLength(3);
    expect(error).toMatchObject({ status: 500, attempts: 3, operationId: "UpdateWorkspace" });
  });

  it("a non-idempotent action (RotateApiToken) is not retried on 502", async () => {
    script(status(502));
    await rejection(
      clientFor(ctx.server).iam.POST("/organizations/{organizationId}/tokens/{tokenId}/rotate", {
        params: { path: { organizationId: "o", tokenId: "t" } },
      }),
    );
    expect(ctx.server.received).toHaveLength(1);
  });

  it("does not retry 4xx other than 429", async () => {
    script(status(400));
    await rejection(clientFor(ctx.server).platform.GET("/organizations"));
    expect(ctx.server.received).toHaveLength(1);
  });

  it("honours per-call maxRetries", async () => {
    script(status(503));
    await rejection(clientFor(ctx.server).platform.GET("/organizations", { maxRetries: 0 }));
    expect(ctx.server.received).toHaveLength(1);
  });

  it("a repeated DELETE answering 404 after an ambiguous attempt is success", async () => {
    script(status(503), status(404));
    const { response } = await clientFor(ctx.server).platform.DELETE(
      "/organizations/{organizationId}/deployments/{deploymentId}",
      deployment,
    );
    expect(response.status).toBe(204);
    expect(ctx.server.received.map((r) => r.method)).toEqual(["DELETE", "DELETE"]);
  });

  it("a first-attempt 404 on DELETE is still NotFoundError", async () => {
    script(status(404));
    const error = await rejection(
      clientFor(ctx.server).platform.DELETE(
        "/organizations/{organizationId}/deployments/{deploymentId}",
        deployment,
      ),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(ctx.server.received).toHaveLength(1);
  });
});

describe("429", () => {
  it("retries even a create, after Retry-After seconds", async () => {
    script(status(429, { message: "slow down", requestId: "r", statusCode: 429 }), status(200, { id: "ws" }));
    ctx.server.handle((_, res) => {
      if (ctx.server.received.length === 1) json(res, 429, { message: "slow down" }, { "retry-after": "1" });
      else json(res, 200, { id: "ws" });
    });
    const { data } = await clientFor(ctx.server).platform.POST(
      "/organizations/{organizationId}/workspaces",
      createBody,
    );
    expect(data.id).toBe("ws");
    expect(ctx.server.received).toHaveLength(2);
    expect(ctx.server.received[1]!.startedAt - ctx.server.received[0]!.startedAt).toBeGreaterThanOrEqual(
      1000,
    );
  });

  it("after the last try, throws RateLimitError with retryAfterMs", async () => {
    ctx.server.handle((_, res) =>
      json(res, 429, { message: "slow down", requestId: "rl" }, { "retry-after": "0" }),
    );
    const error = (await rejection(
      clientFor(ctx.server, { maxRetries: 1 }).platform.GET("/organizations"),
    )) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 0, requestId: "rl", attempts: 2 });
    expect(ctx.server.received).toHaveLength(2);
  });

  it("does not wait for a Retry-After longer than maxRetryAfterMs", async () => {
    ctx.server.handle((_, res) =>
      json(res, 429, { message: "come back in an hour" }, { "retry-after": "3600" }),
    );
    const error = (await rejection(clientFor(ctx.server).platform.GET("/organizations"))) as RateLimitError;
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(ctx.server.received).toHaveLength(1);
  });

  it("backs off with jitter when Retry-After is absent, and reports each retry", async () => {
    const events: AstroEvent[] = [];
    script(status(429), status(429), status(200, { organizations: [] }));
    await clientFor(ctx.server, { onEvent: (e) => events.push(e) }).platform.GET("/organizations");
    const retries = events.filter((e) => e.type === "retry");
    expect(retries).toHaveLength(2);
    expect(retries.map((e) => e.type === "retry" && e.status)).toEqual([429, 429]);
    for (const r of retries) if (r.type === "retry") expect(r.delayMs).toBeGreaterThanOrEqual(5);
  });
});

describe("errors are normalised", () => {
  it.each([
    [400, BadRequestError],
    [401, UnauthorizedError],
    [403, ForbiddenError],
    [404, NotFoundError],
    [409, ConflictError],
    [412, PreconditionFailedError],
    [422, UnprocessableEntityError],
    [500, InternalServerError],
    [418, AstroApiError],
  ])("%i → %o", async (code, ErrorClass) => {
    ctx.server.handle((_, res) => json(res, code, { message: "nope", requestId: "req-x", statusCode: code }));
    const error = (await rejection(
      clientFor(ctx.server, { maxRetries: 0 }).platform.GET("/organizations/{organizationId}/clusters", org),
    )) as AstroApiError;
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(AstroApiError);
    expect(error.name).toBe(ErrorClass.name);
    expect(error).toMatchObject({
      status: code,
      requestId: "req-x",
      detail: "nope",
      method: "GET",
      path: "/organizations/{organizationId}/clusters",
      operationId: "ListClusters",
      url: `${ctx.server.url}/organizations/o/clusters`,
    });
  });

  it("formats a message a person can act on", async () => {
    ctx.server.handle((_, res) =>
      json(res, 403, { message: "RBAC: access denied", requestId: "abc-123", statusCode: 403 }),
    );
    const error = await rejection(
      clientFor(ctx.server).platform.GET("/organizations/{organizationId}/clusters", org),
    );
    expect(error.message).toBe(
      "403 Forbidden — RBAC: access denied (GET /organizations/{organizationId}/clusters, requestId abc-123)",
    );
  });

  it.each([
    [
      "plain text, request id in a header",
      "text/plain",
      "Unauthorized",
      { "x-request-id": "h-1" },
      "Unauthorized",
      "h-1",
    ],
    [
      "HTML from a proxy",
      "text/html",
      "<html><head><title>Bad Gateway</title></head></html>",
      {},
      "Bad Gateway",
      undefined,
    ],
    ["an empty body", "application/json", "", {}, "Unauthorized", undefined],
    ["invalid JSON", "application/json", "{oops", {}, "{oops", undefined],
    [
      "problem+json",
      "application/problem+json",
      '{"title":"Invalid request","detail":"bad"}',
      {},
      "Invalid request: bad",
      undefined,
    ],
  ])("%s", async (_, type, body, headers: Record<string, string>, detail, requestId) => {
    ctx.server.handle((_, res) => {
      res.writeHead(401, { "content-type": type, ...headers });
      res.end(body);
    });
    const error = (await rejection(
      clientFor(ctx.server).platform.GET("/organizations"),
    )) as UnauthorizedError;
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.detail).toBe(detail);
    expect(error.requestId).toBe(requestId);
  });

  it("truncates a huge body in the message", async () => {
    ctx.server.handle((_, res) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end("E".repeat(2_000_000));
    });
    const error = await rejection(clientFor(ctx.server, { maxRetries: 0 }).platform.GET("/organizations"));
    expect(error.message.length).toBeLessThan(700);
  });

  it("rejects a 2xx without the JSON body the spec declares", async () => {
    for (const [type, body, problem] of [
      ["application/json", "", "an empty body"],
      ["text/html", "<html>login</html>", "a body that is not JSON"],
    ] as const) {
      ctx.server.handle((_, res) => {
        res.writeHead(200, { "content-type": type });
        res.end(body);
      });
      const error = await rejection(clientFor(ctx.server).platform.GET("/organizations"));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error.message).toContain(
        `ListOrganizations declares a JSON response, but the server sent ${problem}`,
      );
    }
  });

  it("serialises safely with toJSON", async () => {
    ctx.server.handle((_, res) => json(res, 404, { message: "no such deployment", requestId: "q" }));
    const error = (await rejection(
      clientFor(ctx.server).platform.GET(
        "/organizations/{organizationId}/deployments/{deploymentId}",
        deployment,
      ),
    )) as AstroApiError;
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: "NotFoundError",
      status: 404,
      requestId: "q",
      operationId: "GetDeployment",
      path: "/organizations/{organizationId}/deployments/{deploymentId}",
    });
  });
});

describe("no response", () => {
  it("times out each attempt, retries a GET, then throws AstroTimeoutError", async () => {
    ctx.server.handle(() => undefined); // never answers
    const error = (await rejection(
      clientFor(ctx.server, { timeoutMs: 100, maxRetries: 1 }).platform.GET("/organizations"),
    )) as AstroTimeoutError;
    expect(error).toBeInstanceOf(AstroTimeoutError);
    expect(error).toBeInstanceOf(AstroConnectionError);
    expect(error.message).toMatch(/no response within 100 ms \(GET \/organizations\); after 2 attempts/);
    expect(ctx.server.received).toHaveLength(2);
  });

  it("does not retry a create that timed out", async () => {
    ctx.server.handle(() => undefined);
    const error = await rejection(
      clientFor(ctx.server, { timeoutMs: 100 }).platform.POST(
        "/organizations/{organizationId}/workspaces",
        createBody,
      ),
    );
    expect(error).toBeInstanceOf(AstroTimeoutError);
    expect(error.message).toMatch(/the object may have been created/);
    expect(ctx.server.received).toHaveLength(1);
  });

  it("retries a GET after a connection reset, not a create", async () => {
    ctx.server.handle((_, res) => {
      if (ctx.server.received.length === 1) res.socket?.destroy();
      else json(res, 200, { organizations: [] });
    });
    await clientFor(ctx.server).platform.GET("/organizations");
    expect(ctx.server.received).toHaveLength(2);

    ctx.server.received.length = 0;
    ctx.server.handle((_, res) => res.socket?.destroy());
    const error = await rejection(
      clientFor(ctx.server).platform.POST("/organizations/{organizationId}/workspaces", createBody),
    );
    expect(error).toBeInstanceOf(AstroConnectionError);
    expect(error).not.toBeInstanceOf(AstroTimeoutError);
    expect(ctx.server.received).toHaveLength(1);
  });

  it("reports a refused connection as AstroConnectionError", async () => {
    const closed = await startRecordingServer();
    const url = closed.url;
    await closed.close();
    const astro = clientFor({ ...ctx.server, url }, { maxRetries: 0 });
    const error = await rejection(astro.platform.GET("/organizations"));
    expect(error).toBeInstanceOf(AstroConnectionError);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it("a user abort during a retry wait rejects with the abort reason", async () => {
    ctx.server.handle((_, res) => json(res, 503, {}));
    const controller = new AbortController();
    const pending = clientFor(ctx.server, { initialDelayMs: 5000, maxDelayMs: 5000 }).platform.GET(
      "/organizations",
      {
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(new Error("stop")), 100);
    const error = await rejection(pending);
    expect(error.message).toBe("stop");
    expect(ctx.server.received).toHaveLength(1);
  });
});
