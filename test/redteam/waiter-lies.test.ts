/**
 * Waiters against servers that lie or stall: the wait ends by its deadline (a poll that hangs
 * included), with an `AstroWaiterError` or an `AstroError`.
 */
import { describe, expect, it } from "vitest";
import { AstroError, createAstroClient } from "../../src/index.js";
import { json, useRecordingServer } from "../helpers/client.js";
import { outcome } from "./outcome.js";

const api = useRecordingServer();
const client = () =>
  createAstroClient({ token: "waiter-lies", organizationId: "o", baseUrl: api.server.url, throttle: false });

describe("waiters against servers that lie", () => {
  it("a poll that never answers does not outlive maxWaitMs", async () => {
    api.server.handle(() => undefined); // headers never sent
    const started = performance.now();
    const error = await outcome(() =>
      client().waitUntilDeploymentReady(
        { deploymentId: "d" },
        { maxWaitMs: 300, minDelayMs: 10, maxDelayMs: 20 },
      ),
    );
    expect(error).toBeInstanceOf(AstroError);
    expect(performance.now() - started).toBeLessThan(5_000);
  }, 70_000);

  it.each([
    ["a body without status", { id: "d" }, undefined],
    ["a status that is no string", { id: "d", status: { HEALTHY: true } }, undefined],
    // Shown escaped (waiter-status.test.ts): a zero-width space must not read as a real HEALTHY.
    ["an unknown status", { id: "d", status: "HEALTHY\u200b" }, "HEALTHY\\u200b"],
    // Nothing an answer about another resource says is taken as the Deployment's status.
    ["a ready answer about another Deployment", { id: "someone-else", status: "HEALTHY" }, undefined],
    ["a ready answer about an id that differs in case", { id: "D", status: "HEALTHY" }, undefined],
  ])("%s keeps the waiter pending until its deadline", async (_name, body, lastStatus) => {
    api.server.handle((_, res) => json(res, 200, body));
    const error = await outcome(() =>
      client().waitUntilDeploymentReady(
        { deploymentId: "d" },
        { maxWaitMs: 200, minDelayMs: 10, maxDelayMs: 20 },
      ),
    );
    expect(error).toBeInstanceOf(AstroError);
    expect((error as { reason?: string }).reason).toBe("timeout");
    expect((error as { lastStatus?: string }).lastStatus).toBe(lastStatus);
  });

  it("a ready answer about another cluster or deploy ends neither wait", async () => {
    api.server.handle((_, res) => json(res, 200, { id: "other", status: "CREATED" }));
    const timing = { maxWaitMs: 200, minDelayMs: 10, maxDelayMs: 20 };
    const cluster = await outcome(() => client().waitUntilClusterReady({ clusterId: "c" }, timing));
    expect(cluster).toMatchObject({ reason: "timeout", lastStatus: undefined });
    api.server.handle((_, res) => json(res, 200, { id: "other", status: "DEPLOYED" }));
    const deploy = await outcome(() =>
      client().waitUntilDeployFinished({ deploymentId: "d", deployId: "x" }, timing),
    );
    expect(deploy).toMatchObject({ reason: "timeout", lastStatus: undefined });
  });
});
