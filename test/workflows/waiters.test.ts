/** Each waiter against a local server that walks its resource through statuses. */
import { describe, expect, it } from "vitest";
import { AstroConfigError } from "../../src/index.js";
import { AstroWaiterError } from "../../src/workflows/index.js";
import { fileToken, rejection } from "../helpers/client.js";
import { fast, useWaiterServer } from "./waiter-harness.js";

const { ctx, workflows } = useWaiterServer();

describe("waitUntilDeploymentReady", () => {
  it("polls through pending statuses and resolves with the Deployment once HEALTHY", async () => {
    const w = workflows(["CREATING", "CREATING", "DEPLOYING", "UNHEALTHY", "HEALTHY"]);
    const started = performance.now();
    const deployment = await w.waitUntilDeploymentReady({ deploymentId: "dep-1" }, fast);
    expect(deployment).toMatchObject({ id: "dep-1", status: "HEALTHY" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 10 - 5);
    expect(ctx.server.received.map((r) => `${r.method} ${r.url}`)).toEqual(
      Array(5).fill("GET /organizations/org-1/deployments/dep-1"),
    );
    expect(ctx.server.received.every((r) => r.headers.authorization === `Bearer ${fileToken()}`)).toBe(true);
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
      { http: 403, body: { message: `token ${fileToken()} may not read this`, requestId: "r" } },
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
    for (const view of views) expect(view).not.toContain(fileToken());
  });
});
