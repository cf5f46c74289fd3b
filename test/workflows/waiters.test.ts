import { describe, expect, it } from "vitest";
import { AstroConfigError, ForbiddenError } from "../../src/index.js";
import { AstroWaiterError, createWorkflows, type WorkflowEvent } from "../../src/workflows/index.js";
import { clientFor, rejection, useRecordingServer } from "../helpers/client.js";
import { sequence, type Step } from "./sequence.js";

const ctx = useRecordingServer();
const fast = { minDelayMs: 10, maxDelayMs: 20 };

/** Workflows over today's v1beta1 platform client pointed at the recording server. */
function workflows(steps: readonly Step[], options: Parameters<typeof clientFor>[1] = {}) {
  const seq = sequence(steps);
  ctx.server.handle(seq.handler);
  const astro = clientFor(ctx.server, { organizationId: "org-1", ...options });
  const events: WorkflowEvent[] = [];
  return { ...createWorkflows(astro.platform, { emit: (e) => events.push(e) }), events, seq };
}

describe("waitUntilDeploymentReady", () => {
  it("polls through pending statuses and resolves with the Deployment once HEALTHY", async () => {
    const w = workflows(["CREATING", "CREATING", "DEPLOYING", "UNHEALTHY", "HEALTHY"]);
    const started = performance.now();
    const deployment = await w.waitUntilDeploymentReady({ deploymentId: "dep-1" }, fast);
    expect(deployment).toMatchObject({ id: "res-1", status: "HEALTHY" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 10 - 5);
    expect(ctx.server.received.map((r) => `${r.method} ${r.url}`)).toEqual(
      Array(5).fill("GET /organizations/org-1/deployments/dep-1"),
    );
    expect(ctx.server.received.every((r) => r.headers.authorization === "Bearer test-token")).toBe(true);
    expect(w.events.map((e) => e.type === "waiter" && [e.attempt, e.status, e.outcome])).toEqual([
      [1, "CREATING", "pending"],
      [2, "CREATING", "pending"],
      [3, "DEPLOYING", "pending"],
      [4, "UNHEALTHY", "pending"],
      [5, "HEALTHY", "success"],
    ]);
    const last = w.events.at(-1);
    expect(last).toMatchObject({ waiter: "deploymentReady", resourceId: "dep-1", nextPollInMs: undefined });
  });

  it("takes HIBERNATING as ready, and fails at once on UNHEALTHY when asked to", async () => {
    await expect(
      workflows(["HIBERNATING"]).waitUntilDeploymentReady({ deploymentId: "d" }, fast),
    ).resolves.toMatchObject({
      status: "HIBERNATING",
    });
    const w = workflows(["CREATING", "UNHEALTHY", "HEALTHY"]);
    const error = await rejection(
      w.waitUntilDeploymentReady({ deploymentId: "d" }, { ...fast, failOnUnhealthy: true }),
    );
    expect(error).toBeInstanceOf(AstroWaiterError);
    expect(error).toMatchObject({ reason: "failed", lastStatus: "UNHEALTHY", attempts: 2, resourceId: "d" });
  });

  it("uses an explicit organizationId over the client's default", async () => {
    const w = workflows(["HEALTHY"]);
    await w.waitUntilDeploymentReady({ organizationId: "org-2", deploymentId: "d" }, fast);
    expect(ctx.server.received[0]!.url).toBe("/organizations/org-2/deployments/d");
  });
});

describe("waitUntilClusterReady", () => {
  it("ends at the first failure status, without another poll", async () => {
    const w = workflows(["CREATING", "UPDATING", "CREATE_FAILED", "CREATED"]);
    const error = (await rejection(w.waitUntilClusterReady({ clusterId: "c-1" }, fast))) as AstroWaiterError;
    expect(error).toBeInstanceOf(AstroWaiterError);
    expect(error.toJSON()).toMatchObject({
      name: "AstroWaiterError",
      waiter: "clusterReady",
      reason: "failed",
      resourceId: "c-1",
      lastStatus: "CREATE_FAILED",
      attempts: 3,
    });
    expect(error.message).toMatch(
      /^clusterReady of c-1 failed \(last status CREATE_FAILED, after 3 polls in \d+ ms\)$/,
    );
    await new Promise((r) => setTimeout(r, 60));
    expect(w.seq.served()).toBe(3);
    expect(ctx.server.received[0]!.url).toBe("/organizations/org-1/clusters/c-1");
  });

  for (const status of ["UPDATE_FAILED", "FAILOVER_FAILED", "ACCESS_DENIED"]) {
    it(`fails on ${status}`, async () => {
      const error = await rejection(
        workflows(["FAILING_OVER", status]).waitUntilClusterReady({ clusterId: "c" }, fast),
      );
      expect(error).toMatchObject({ reason: "failed", lastStatus: status });
    });
  }
});

describe("waitUntilDeployFinished", () => {
  it("resolves on DEPLOYED and fails on FAILED", async () => {
    await expect(
      workflows(["INITIALIZED", "DEPLOYED"]).waitUntilDeployFinished(
        { deploymentId: "d", deployId: "x" },
        fast,
      ),
    ).resolves.toMatchObject({ status: "DEPLOYED" });
    expect(ctx.server.received.at(-1)!.url).toBe("/organizations/org-1/deployments/d/deploys/x");
    const error = await rejection(
      workflows(["INITIALIZED", "FAILED"]).waitUntilDeployFinished(
        { deploymentId: "d", deployId: "x" },
        fast,
      ),
    );
    expect(error).toMatchObject({
      waiter: "deployFinished",
      reason: "failed",
      lastStatus: "FAILED",
      resourceId: "x",
    });
  });
});

describe("timeouts", () => {
  it("times out on a status it does not know, polling no faster than minDelayMs, the last poll just before the deadline", async () => {
    const w = workflows(["SOMETHING_NEW"]);
    const started = performance.now();
    const error = await rejection(
      w.waitUntilDeploymentReady({ deploymentId: "d" }, { maxWaitMs: 600, minDelayMs: 50, maxDelayMs: 200 }),
    );
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ name: "AstroWaiterError", reason: "timeout", lastStatus: "SOMETHING_NEW" });
    // The wait ends near its deadline: not early (the last poll sits just before it), not long after.
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(600 + 1500);
    const times = ctx.server.received.map((r) => r.startedAt);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(45);
    expect(times.length).toBeLessThanOrEqual(600 / 50 + 1);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(300);
  });

  it("never loops fast on garbage answers: non-JSON, a numeric status, an array", async () => {
    const w = workflows(
      [
        { http: 200, raw: "<html>oops" },
        { http: 200, raw: '{"status":42}' },
        { http: 200, raw: "[]" },
      ],
      {
        maxRetries: 0,
      },
    );
    const error = (await rejection(
      w.waitUntilDeploymentReady({ deploymentId: "d" }, { maxWaitMs: 300, minDelayMs: 40, maxDelayMs: 80 }),
    )) as AstroWaiterError;
    expect(error).toMatchObject({ reason: "timeout", lastStatus: undefined });
    expect(w.seq.served()).toBeLessThanOrEqual(300 / 40 + 1);
    expect(w.events[0]).toMatchObject({ outcome: "error", error: "InvalidResponseError" });
    expect(w.events[1]).toMatchObject({ outcome: "pending", status: undefined });
  });

  it("aborts a poll still in flight at the deadline", async () => {
    ctx.server.handle(() => undefined); // never answers
    const astro = clientFor(ctx.server, { organizationId: "org-1" });
    const w = createWorkflows(astro.platform);
    const started = performance.now();
    const error = await rejection(w.waitUntilDeploymentReady({ deploymentId: "d" }, { maxWaitMs: 200 }));
    expect(error).toMatchObject({ reason: "timeout", attempts: 1 });
    expect(performance.now() - started).toBeLessThan(200 + 1000);
  });

  it("honours a maxWaitMs beyond setTimeout's 2^31-1 ms instead of firing at once", async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    try {
      const w = workflows(["CREATING", "CREATING", "HEALTHY"]);
      await expect(
        w.waitUntilDeploymentReady({ deploymentId: "d" }, { maxWaitMs: 2 ** 31 + 1000, ...fast }),
      ).resolves.toMatchObject({ status: "HEALTHY" });
      await new Promise((r) => setTimeout(r, 20));
      expect(warnings.filter((x) => x.name === "TimeoutOverflowWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  for (const bad of [0, -1, Number.NaN, Infinity, "500", null]) {
    it(`rejects maxWaitMs ${String(bad)} before any request`, async () => {
      const w = workflows(["HEALTHY"]);
      const error = await rejection(
        w.waitUntilDeploymentReady({ deploymentId: "d" }, { maxWaitMs: bad as number }),
      );
      expect(error).toBeInstanceOf(AstroConfigError);
      expect(error.message).toMatch(/maxWaitMs must be a finite number/);
      expect(ctx.server.received).toHaveLength(0);
    });
  }

  it("rejects minDelayMs above maxDelayMs", async () => {
    const error = await rejection(
      workflows(["HEALTHY"]).waitUntilDeploymentReady(
        { deploymentId: "d" },
        { minDelayMs: 50, maxDelayMs: 10 },
      ),
    );
    expect(error).toBeInstanceOf(AstroConfigError);
  });
});

describe("abort", () => {
  it("rejects with reason aborted at once when the signal aborts mid-wait, and polls no more", async () => {
    const w = workflows(["CREATING"]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 150);
    const started = performance.now();
    const error = await rejection(
      w.waitUntilDeploymentReady(
        { deploymentId: "d" },
        { signal: controller.signal, minDelayMs: 40, maxDelayMs: 60 },
      ),
    );
    expect(error).toMatchObject({ name: "AstroWaiterError", reason: "aborted", lastStatus: "CREATING" });
    expect(performance.now() - started).toBeLessThan(150 + 500);
    const polls = w.seq.served();
    await new Promise((r) => setTimeout(r, 150));
    expect(w.seq.served()).toBe(polls);
  });

  it("makes no request with a signal already aborted", async () => {
    const w = workflows(["HEALTHY"]);
    const error = await rejection(
      w.waitUntilDeploymentReady({ deploymentId: "d" }, { signal: AbortSignal.abort() }),
    );
    expect(error).toMatchObject({ reason: "aborted", attempts: 0 });
    expect(ctx.server.received).toHaveLength(0);
  });
});

describe("errors during a poll", () => {
  it("keeps polling through 5xx the client gave up on, and resolves when the API is back", async () => {
    const w = workflows([{ http: 503 }, { http: 502 }, "HEALTHY"], { maxRetries: 0 });
    await expect(w.waitUntilDeploymentReady({ deploymentId: "d" }, fast)).resolves.toMatchObject({
      status: "HEALTHY",
    });
    expect(w.events.map((e) => e.type === "waiter" && e.outcome)).toEqual(["error", "error", "success"]);
  });

  it("times out with the last transient error as cause", async () => {
    const w = workflows([{ http: 500 }], { maxRetries: 0 });
    const error = await rejection(
      w.waitUntilDeploymentReady({ deploymentId: "d" }, { maxWaitMs: 150, ...fast }),
    );
    expect(error).toMatchObject({ reason: "timeout" });
    expect(error.cause).toMatchObject({ name: "InternalServerError", status: 500 });
  });

  it("ends at once with reason failed on a 4xx, the API error as cause", async () => {
    const w = workflows([
      "CREATING",
      { http: 403, body: { message: "forbidden", requestId: "r" } },
      "HEALTHY",
    ]);
    const error = await rejection(w.waitUntilDeploymentReady({ deploymentId: "d" }, fast));
    expect(error).toMatchObject({ reason: "failed", lastStatus: "CREATING", attempts: 2 });
    expect(error.cause).toBeInstanceOf(ForbiddenError);
    expect(w.seq.served()).toBe(2);
  });

  for (const id of ["", "..", "a/b", "x y", undefined, 42]) {
    it(`rejects the id ${JSON.stringify(id)} before any request`, async () => {
      const error = await rejection(
        workflows(["HEALTHY"]).waitUntilDeploymentReady({ deploymentId: id as string }),
      );
      expect(error).toBeInstanceOf(AstroConfigError);
      expect(ctx.server.received).toHaveLength(0);
    });
  }
});

describe("waitUntilDeleted", () => {
  it("resolves once the resource's GET answers 404", async () => {
    const w = workflows([
      "DELETING",
      "HEALTHY",
      { http: 404, body: { message: "not found", requestId: "r" } },
    ]);
    await expect(
      w.waitUntilDeleted({ get: "getDeployment", deploymentId: "d" }, fast),
    ).resolves.toBeUndefined();
    expect(ctx.server.received.map((r) => r.url)).toEqual(
      Array(3).fill("/organizations/org-1/deployments/d"),
    );
    expect(w.events.at(-1)).toMatchObject({
      waiter: "deleted",
      outcome: "success",
      resourceId: "getDeployment d",
    });
  });

  it("works for any get… operation, e.g. a workspace", async () => {
    const w = workflows([{ http: 404 }]);
    await w.waitUntilDeleted({ get: "getWorkspace", workspaceId: "w-1" }, fast);
    expect(ctx.server.received[0]!.url).toBe("/organizations/org-1/workspaces/w-1");
  });

  it("refuses to poll anything but a get… operation", async () => {
    const w = workflows([{ http: 404 }]);
    for (const get of ["deleteDeployment", "getNothing", "constructor", undefined]) {
      const error = await rejection(w.waitUntilDeleted({ get, deploymentId: "d" } as never, fast));
      expect(error).toBeInstanceOf(AstroConfigError);
    }
    expect(ctx.server.received).toHaveLength(0);
  });
});

describe("secrets", () => {
  it("keeps the token out of a waiter error, even when the server echoes it", async () => {
    const { inspect } = await import("node:util");
    const w = workflows([
      { http: 403, body: { message: "token test-token may not read this", requestId: "r" } },
    ]);
    const error = await rejection(w.waitUntilDeploymentReady({ deploymentId: "d" }, fast));
    expect(error).toBeInstanceOf(AstroWaiterError);
    const views = [
      error.message,
      String(error.stack),
      JSON.stringify(error),
      inspect(error, { depth: 8 }),
      JSON.stringify(w.events),
    ];
    for (const view of views) expect(view).not.toContain("test-token");
  });
});
