import { describe, expect, it, vi } from "vitest";
import { AstroConfigError, operations, type AstroEvent } from "../../src/v1beta1/index.js";
import { clientFor, json, rejection, useRecordingServer } from "../helpers/client.js";
import { callEveryOperation } from "../helpers/operation-calls.js";

const ctx = useRecordingServer((req, res) => {
  if (req.method === "DELETE") {
    res.writeHead(204);
    res.end();
  } else json(res, 200, {});
});

type AnyMethod = (args?: Record<string, unknown>, options?: object) => Promise<{ response: Response }>;

describe("operation methods", () => {
  it("every manifest entry is callable by name and sends its method and path", async () => {
    const astro = clientFor(ctx.server, { organizationId: "org", throttle: false });
    for (const api of ["platform", "iam"] as const) {
      const ofApi = operations.filter((operation) => operation.api === api);
      await callEveryOperation(astro[api], ofApi, ctx.server);
    }
    expect(operations).toHaveLength(59);
  });

  it("puts path params in the path, query params in the query, and `body` in the body", async () => {
    const astro = clientFor(ctx.server, { organizationId: "org" });
    await astro.platform.listDeployments({ workspaceIds: ["a", "b"], limit: 5 });
    await astro.iam.createTeam({ body: { name: "platform", memberIds: ["u1"] } });
    await astro.platform.getDeployment({ organizationId: "explicit", deploymentId: "d1" });
    expect(ctx.server.received.map((r) => [r.method, r.url, r.body])).toEqual([
      ["GET", "/organizations/org/deployments?workspaceIds=a&workspaceIds=b&limit=5", ""],
      ["POST", "/organizations/org/teams", '{"name":"platform","memberIds":["u1"]}'],
      ["GET", "/organizations/explicit/deployments/d1", ""],
    ]);
  });

  it("shares the pipeline: events carry the operationId, errors are normalised", async () => {
    const events: AstroEvent[] = [];
    const astro = clientFor(ctx.server, { organizationId: "org", onEvent: (e) => events.push(e) });
    ctx.server.handle((_, res) => json(res, 404, { message: "no such team", requestId: "r9" }));
    const error = await rejection(astro.iam.getTeam({ teamId: "t" }, { maxRetries: 0 }));
    expect(error).toMatchObject({ name: "NotFoundError", operationId: "GetTeam", requestId: "r9" });
    expect(events.map((e) => [e.type, "operationId" in e ? e.operationId : undefined])).toEqual([
      ["request", "GetTeam"],
      ["response", "GetTeam"],
      ["error", "GetTeam"],
    ]);
  });

  it("rejects a parameter the operation does not have, naming the ones it has", async () => {
    const astro = clientFor(ctx.server, { organizationId: "org" });
    const listDeployments = astro.platform.listDeployments as unknown as AnyMethod;
    const error = await rejection(listDeployments({ workspaceId: "w" }));
    expect(error).toBeInstanceOf(AstroConfigError);
    expect(error.message).toBe(
      'listDeployments() has no parameter "workspaceId"; it takes organizationId, deploymentIds, names, workspaceIds, offset, limit, sorts',
    );
    expect(ctx.server.received).toHaveLength(0);
  });
});

describe("organization default", () => {
  it("fills {organizationId} when omitted; an explicit value wins", async () => {
    const astro = clientFor(ctx.server, { organizationId: "default-org" });
    await astro.platform.GET("/organizations/{organizationId}/clusters");
    await astro.platform.GET("/organizations/{organizationId}/clusters", {
      params: { path: { organizationId: "explicit" } },
    });
    await astro.platform.GET("/organizations");
    expect(ctx.server.received.map((r) => r.url)).toEqual([
      "/organizations/default-org/clusters",
      "/organizations/explicit/clusters",
      "/organizations",
    ]);
  });

  it("reads ASTRO_ORGANIZATION_ID", async () => {
    vi.stubEnv("ASTRO_ORGANIZATION_ID", "env-org");
    await clientFor(ctx.server).iam.listTeams();
    expect(ctx.server.received[0]!.url).toBe("/organizations/env-org/teams");
  });

  it("without one, fails naming the option, and sends nothing", async () => {
    vi.stubEnv("ASTRO_ORGANIZATION_ID", undefined);
    const error = await rejection(clientFor(ctx.server).platform.listClusters());
    expect(error).toBeInstanceOf(AstroConfigError);
    expect(error.message).toBe(
      "ListClusters needs an organizationId: pass it with the call, or set a default with createAstroClient({ organizationId }) or ASTRO_ORGANIZATION_ID",
    );
    expect(ctx.server.received).toHaveLength(0);
  });

  it("rejects an unusable default at construction", () => {
    expect(() => clientFor(ctx.server, { organizationId: "has space" })).toThrow(
      /organizationId must be a non-empty id without spaces/,
    );
  });
});

describe("observability", () => {
  it("reports request, throttle, retry, response and error with their fields, to hooks and loggers", async () => {
    const events: AstroEvent[] = [];
    const lines: [string, unknown, string][] = [];
    const logger = {
      debug: (event: unknown, message: string) => lines.push(["debug", event, message]),
      warn: (event: unknown, message: string) => lines.push(["warn", event, message]),
    };
    // A token of its own: budgets are per token and process, and earlier tests used the default one.
    const astro = clientFor(ctx.server, {
      token: "observability-events-token",
      organizationId: "o",
      onEvent: (e) => events.push(e),
      logger,
      throttle: { limits: { get: 1 } },
    });
    ctx.server.handle((_, res) =>
      json(res, ctx.server.received.length === 1 ? 503 : 200, {}, { "x-request-id": "rid" }),
    );
    await astro.platform.listClusters();
    expect(events.map((e) => e.type)).toEqual([
      "request",
      "response",
      "retry",
      "throttle",
      "request",
      "response",
    ]);
    const retry = events.find((e) => e.type === "retry")!;
    expect(retry).toMatchObject({
      api: "platform",
      method: "GET",
      path: "/organizations/{organizationId}/clusters",
      operationId: "ListClusters",
      attempt: 1,
      status: 503,
      reason: "503 Service Unavailable",
    });
    const throttle = events.find((e) => e.type === "throttle")!;
    expect(throttle).toMatchObject({ methodClass: "get", attempt: 2 });
    expect((throttle as { waitedMs: number }).waitedMs).toBeGreaterThan(500);
    expect(events.at(-1)).toMatchObject({ type: "response", status: 200, requestId: "rid", attempt: 2 });
    expect(lines.map(([level]) => level)).toEqual(["debug", "debug", "warn", "debug", "debug", "debug"]);
    expect(lines[2]![2]).toMatch(
      /^astro: GET \/organizations\/\{organizationId\}\/clusters retrying in \d+ ms \(503 Service Unavailable\)$/,
    );
  });

  it("works with console as the logger", async () => {
    const astro = clientFor(ctx.server, { organizationId: "o", logger: console });
    await expect(astro.platform.listClusters()).resolves.toBeDefined();
  });

  it("stats() counts queued and running per method class", async () => {
    const astro = clientFor(ctx.server, { token: "observability-stats-token", organizationId: "o" });
    expect(astro.stats()).toEqual({
      get: { queued: 0, running: 0 },
      post: { queued: 0, running: 0 },
      delete: { queued: 0, running: 0 },
    });
    ctx.server.handle((_, res) => setTimeout(() => json(res, 200, {}), 200));
    const pending = astro.platform.listClusters();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(astro.stats().get.running).toBe(1);
    await pending;
  });
});
