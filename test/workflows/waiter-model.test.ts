/**
 * Property: for any sequence of statuses a server reports (known ones, unknown ones, garbage),
 * a waiter's outcome is what a one-line model says: the first success status resolves, the first
 * failure status rejects "failed", and a sequence that ends pending times out; it polls exactly
 * up to the deciding status.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { AstroWaiterError, createWorkflows, WAITER_STATUSES } from "../../src/workflows/index.js";
import { clientFor, useRecordingServer } from "../helpers/client.js";
import { sequence, type Step } from "./sequence.js";
import { runs } from "../helpers/depth.js";

const ctx = useRecordingServer();
const { success, failure } = WAITER_STATUSES.clusterReady;
const statuses = fc.oneof(
  fc.constantFrom("CREATING", "UPDATING", "UPGRADE_PENDING", "FAILING_OVER", ...success, ...failure),
  fc.constantFrom("created", "", "CREATED ", "NEW_STATUS"),
  fc.string({ maxLength: 12 }),
);
const steps = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: statuses.map((s): Step => s) },
    { weight: 1, arbitrary: fc.constant<Step>({ http: 200, raw: '{"status":7}' }) },
    { weight: 1, arbitrary: fc.constant<Step>({ http: 503 }) },
  ),
  { minLength: 1, maxLength: 8 },
);

type Outcome = { kind: "resolved" | "failed"; polls: number; status: string } | { kind: "timeout" };

function model(seq: readonly Step[]): Outcome {
  for (const [i, step] of seq.entries()) {
    if (typeof step !== "string") continue;
    if ((success as readonly string[]).includes(step))
      return { kind: "resolved", polls: i + 1, status: step };
    if ((failure as readonly string[]).includes(step)) return { kind: "failed", polls: i + 1, status: step };
  }
  return { kind: "timeout" };
}

it("matches the model for any status sequence", async () => {
  const astro = clientFor(ctx.server, { organizationId: "org-1", throttle: false, maxRetries: 0 });
  await fc.assert(
    fc.asyncProperty(steps, async (seq) => {
      ctx.server.received.length = 0;
      const served = sequence(seq);
      ctx.server.handle(served.handler);
      const w = createWorkflows(astro.platform);
      const expected = model(seq);
      const outcome = await w
        // A decided sequence must be decided however slow the machine, so it gets a long deadline;
        // one that never decides only has to time out, so it gets a short one.
        .waitUntilClusterReady(
          { clusterId: "c-1" },
          { maxWaitMs: expected.kind === "timeout" ? 300 : 20_000, minDelayMs: 1, maxDelayMs: 2 },
        )
        .then(
          (cluster): Outcome => ({
            kind: "resolved",
            polls: served.served(),
            status: (cluster as { status: string }).status,
          }),
          (error: unknown): Outcome => {
            expect(error).toBeInstanceOf(AstroWaiterError);
            const e = error as AstroWaiterError;
            if (e.reason === "failed")
              return { kind: "failed", polls: served.served(), status: e.lastStatus ?? "" };
            expect(e.reason).toBe("timeout");
            return { kind: "timeout" };
          },
        );
      expect(outcome).toEqual(expected);
    }),
    { numRuns: runs(40) },
  );
});
