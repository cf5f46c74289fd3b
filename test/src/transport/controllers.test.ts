/**
 * The attempts' AbortControllers are reused (src/transport/controllers.ts): against a real local
 * server, a reused controller carries nothing of the attempt before it, and an aborted one never
 * comes back, so no abort reaches a call it was not meant for.
 */
import { getEventListeners } from "node:events";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroTimeoutError } from "../../../src/index.js";
import { recycleController, takeController } from "../../../src/transport/controllers.js";
import { clientFor, json, rejection, useRecordingServer } from "../../helpers/client.js";
import { runs } from "../../helpers/depth.js";

const ctx = useRecordingServer();

/** The id the server answered with (it echoes the URL it was asked for). */
const idOf = (data: unknown): string => (data as { id: string }).id;

describe("reused AbortControllers", () => {
  it("a controller fetch followed comes back without the listener fetch left, and is handed out next", async () => {
    const controller = takeController();
    const response = await fetch(`${ctx.server.url}/organizations`, { signal: controller.signal });
    await response.text();
    // Positive control: fetch follows the signal with a listener of its own.
    expect(getEventListeners(controller.signal, "abort").length).toBeGreaterThan(0);
    recycleController(controller);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    expect(takeController()).toBe(controller);
  });

  it("an aborted controller is never handed out again", () => {
    const controller = takeController();
    controller.abort(new Error("done"));
    recycleController(controller);
    const next = takeController();
    expect(next).not.toBe(controller);
    expect(next.signal.aborted).toBe(false);
    recycleController(next);
  });

  it("after many calls, the controllers kept have no listener and are not aborted", async () => {
    const astro = clientFor(ctx.server, { token: "controllers-many", throttle: false });
    for (let i = 0; i < 200; i++) await astro.platform.GET("/organizations");
    const kept = Array.from({ length: 70 }, () => takeController());
    for (const controller of kept) {
      expect(controller.signal.aborted).toBe(false);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    }
    for (const controller of kept) recycleController(controller);
  });

  it("timeouts and caller aborts among parallel calls end only their own calls", async () => {
    const astro = clientFor(ctx.server, { token: "controllers-mixed", throttle: false, maxRetries: 0 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("ok", "slow", "abort"), { minLength: 1, maxLength: 12 }),
        async (plans) => {
          // Each request says how it is to be answered: at once, or only after the client gave up.
          ctx.server.handle((request, res) => {
            const late = request.url.includes("late=1");
            setTimeout(() => json(res, 200, { id: request.url }), late ? 400 : 0);
          });
          const calls = plans.map((plan, i) => {
            const controller = new AbortController();
            const call = astro.platform.GET("/organizations", {
              params: { query: { i, late: plan === "ok" ? 0 : 1 } } as never,
              signal: controller.signal,
              timeoutMs: plan === "slow" ? 100 : 5_000,
            });
            if (plan === "abort") setTimeout(() => controller.abort(new Error(`stop ${i}`)), 50);
            return call.then(
              ({ data }) => ({ ok: true as const, data }),
              (error: unknown) => ({ ok: false as const, error }),
            );
          });
          const outcomes = await Promise.all(calls);
          outcomes.forEach((outcome, i) => {
            if (plans[i] === "ok") {
              expect(outcome.ok).toBe(true);
              expect(idOf((outcome as { data: unknown }).data)).toContain(`i=${i}&`);
            } else if (plans[i] === "slow") {
              expect((outcome as { error: unknown }).error).toBeInstanceOf(AstroTimeoutError);
            } else {
              expect((outcome as { error: Error }).error.message).toBe(`stop ${i}`);
            }
          });
          // The calls after them get controllers that nothing aborted.
          for (let i = 0; i < 5; i++) {
            const { data } = await astro.platform.GET("/organizations", {
              params: { query: { after: i, late: 0 } } as never,
            });
            expect(idOf(data)).toContain(`after=${i}`);
          }
        },
      ),
      { numRuns: runs(15) },
    );
  }, 60_000);
});

describe("a timed-out attempt", () => {
  it("does not poison the next call", async () => {
    ctx.server.handle((_, res) => setTimeout(() => json(res, 200, {}), 300));
    const astro = clientFor(ctx.server, { token: "controllers-timeout", throttle: false, maxRetries: 0 });
    expect(await rejection(astro.platform.GET("/organizations", { timeoutMs: 50 }))).toBeInstanceOf(
      AstroTimeoutError,
    );
    ctx.server.handle((_, res) => json(res, 200, { fine: true }));
    const { data } = await astro.platform.GET("/organizations");
    expect(data).toEqual({ fine: true });
  });
});
