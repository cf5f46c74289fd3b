/*
 * The sliding-window invariant as a property: for random schedules of calls, aborts, network
 * delays, server processing times, 429s and attempts that time out, no more than the limit of
 * requests reach the "server" in any 1,000 ms — at the moments they reach it, not when they were
 * sent. The network and server are simulated on a fake clock (the algorithm, not HTTP, is under
 * test here; the HTTP-level tests are in the other files); each request's one-way delay respects
 * what the throttle was told (`networkDelayMs`), and without asserted bounds a request that times
 * out may still arrive up to the documented allowance after the client gave up.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UNANSWERED_HOLD_MS, type NetworkDelayOption } from "../../../src/throttle/arrival.js";
import type { MethodClass } from "../../../src/throttle/limits.js";
import { Throttle } from "../../../src/throttle/throttle.js";
import { maxInWindow } from "../../helpers/windows.js";
import { runs } from "../../helpers/depth.js";

interface Planned {
  /** When the call is made. */
  at: number;
  /** When it is aborted (ms after `at`), if it is. */
  abortAfter: number | undefined;
  /** Fraction of the allowed one-way delay range. */
  way: number;
  processingMs: number;
  backMs: number;
  /** The server answers 429 (with this Retry-After, or none). */
  rateLimited: { retryAfterMs: number | undefined } | undefined;
  /** The attempt times out after this many ms without an answer, if it does; `lateMs` after that, it arrives. */
  timeout: { afterMs: number; lateMs: number } | undefined;
  /** The attempt says when it hands its request to fetch (`ticket.sent()`). */
  reportsSent: boolean;
}

const planned = fc.record<Planned>({
  at: fc.integer({ min: 0, max: 4000 }),
  abortAfter: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
  way: fc.double({ min: 0, max: 1, noNaN: true }),
  processingMs: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2500 })),
  backMs: fc.integer({ min: 0, max: 200 }),
  rateLimited: fc.option(
    fc.record({ retryAfterMs: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }) }),
    { nil: undefined, freq: 8 },
  ),
  reportsSent: fc.boolean(),
  timeout: fc.option(
    fc.record({
      afterMs: fc.integer({ min: 1, max: 3000 }),
      lateMs: fc.integer({ min: 0, max: UNANSWERED_HOLD_MS }),
    }),
    { nil: undefined, freq: 8 },
  ),
});

const delays = fc.oneof(
  fc.constant<{ option: NetworkDelayOption; min: number; max: number }>({
    option: "unknown",
    min: 0,
    max: 400,
  }),
  fc
    .tuple(fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 150 }))
    .map(([min, spread]) => ({ option: { min, max: min + spread }, min, max: min + spread })),
);

let run = 0;

describe("sliding-window invariant at the server's arrival times (property)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("never more than the limit in any 1,000 ms; aborted waiters never run; everything settles", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        delays,
        fc.array(planned, { minLength: 1, maxLength: 40 }),
        async (limit, delay, calls) => {
          const cls: MethodClass = "get";
          const token = `property-${++run}`;
          const throttle = new Throttle({ limits: { get: limit }, networkDelayMs: delay.option });
          const arrivals: number[] = [];
          let ranAborted = 0;
          let settled = 0;
          for (const call of calls) {
            setTimeout(() => {
              const controller = new AbortController();
              let aborted = false;
              if (call.abortAfter !== undefined) {
                setTimeout(() => {
                  aborted = true;
                  controller.abort(new Error("gave up"));
                }, call.abortAfter);
              }
              throttle
                .run(
                  token,
                  cls,
                  (ticket) => {
                    if (aborted) ranAborted += 1;
                    const oneWay = delay.min + call.way * (delay.max - delay.min);
                    // Arrival times are computed from the start, not read when a timer fires.
                    const sentAt = performance.now();
                    if (call.reportsSent) ticket.sent();
                    return new Promise<void>((resolve, reject) => {
                      if (call.timeout && call.timeout.afterMs < oneWay + call.processingMs + call.backMs) {
                        // Given up on: it may still reach the server, late.
                        // Late, after the client gave up — but within `max` when bounds were asserted.
                        const late = call.timeout.lateMs > 0 ? call.timeout.afterMs + call.timeout.lateMs : 0;
                        const arrival = delay.option === "unknown" ? Math.max(oneWay, late) : oneWay;
                        arrivals.push(sentAt + arrival);
                        setTimeout(() => reject(new Error("timeout")), call.timeout.afterMs);
                        return;
                      }
                      arrivals.push(sentAt + oneWay);
                      setTimeout(
                        () => {
                          if (call.rateLimited) ticket.rateLimited(call.rateLimited.retryAfterMs);
                          else ticket.answered();
                          resolve();
                        },
                        oneWay + call.processingMs + call.backMs,
                      );
                    });
                  },
                  controller.signal,
                )
                .catch(() => undefined)
                .finally(() => (settled += 1));
            }, call.at);
          }
          // 40 calls at a limit of 1 with pauses and late arrivals: bounded well within this.
          for (let i = 0; i < 400 && settled < calls.length; i++) await vi.advanceTimersByTimeAsync(500);
          expect(settled).toBe(calls.length);
          expect(ranAborted).toBe(0);
          expect(maxInWindow(arrivals, 1000)).toBeLessThanOrEqual(limit);
          expect(throttle.stats()[cls]).toEqual({ queued: 0, running: 0 });
        },
      ),
      { numRuns: runs(600) },
    );
  }, 120_000);
});
