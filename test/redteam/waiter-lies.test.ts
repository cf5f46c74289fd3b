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
    ["a body without status", { id: "d" }],
    ["a status that is no string", { id: "d", status: { HEALTHY: true } }],
    ["an unknown status", { id: "d", status: "HEALTHY\u200b" }],
  ])("%s keeps the waiter pending until its deadline", async (_name, body) => {
    api.server.handle((_, res) => json(res, 200, body));
    const error = await outcome(() =>
      client().waitUntilDeploymentReady(
        { deploymentId: "d" },
        { maxWaitMs: 200, minDelayMs: 10, maxDelayMs: 20 },
      ),
    );
    expect(error).toBeInstanceOf(AstroError);
    expect((error as { reason?: string }).reason).toBe("timeout");
  });
});
