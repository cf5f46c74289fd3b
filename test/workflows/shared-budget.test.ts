/**
 * Waiters poll through the client like any other call: many of them at once share the token's
 * GET budget (25 in any 1,000 ms), counted here at the server.
 */
import { expect, it } from "vitest";
import { createWorkflows } from "../../src/workflows/index.js";
import { clientFor, json, rejection, useRecordingServer } from "../helpers/client.js";
import { maxInWindow } from "../helpers/windows.js";

const ctx = useRecordingServer();

it("keeps 30 eager waiters under the GET limit, every poll counted at the server", async () => {
  ctx.server.handle((_, res) => json(res, 200, { id: "d", status: "CREATING" }));
  // Strict arrival (the guarantee asserted below); the default may let a window over, answered 429.
  const astro = clientFor(ctx.server, { organizationId: "org-1", throttle: { networkDelayMs: "unknown" } });
  let polls = 0;
  const w = createWorkflows(astro.platform, { emit: (e) => void (e.type === "waiter" && polls++) });
  const errors = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      rejection(
        w.waitUntilDeploymentReady(
          { deploymentId: `d${i}` },
          { maxWaitMs: 2_500, minDelayMs: 1, maxDelayMs: 5 },
        ),
      ),
    ),
  );
  for (const error of errors) expect(error).toMatchObject({ name: "AstroWaiterError", reason: "timeout" });
  const times = ctx.server.received.map((r) => r.startedAt);
  // Eager waiters would poll thousands of times; the throttle holds them to the budget.
  expect(times.length).toBeGreaterThanOrEqual(25);
  expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(25);
  // Every poll the waiters report reached the server, and nothing else did; a poll cut by the
  // deadline (at most one per waiter) may have reached it without being reported.
  const attempts = errors.reduce((sum, e) => sum + (e as unknown as { attempts: number }).attempts, 0);
  expect(polls).toBeLessThanOrEqual(times.length);
  expect(times.length).toBeLessThanOrEqual(attempts);
  expect(attempts - polls).toBeLessThanOrEqual(30);
  await astro.close();
});
