/*
 * The in-process budget through `Throttle.run`, without HTTP: the same-tick start, order, what
 * `sent()` with asserted bounds buys a slow operation, and a 429's pause. The windows at a real
 * server are checked by the other files.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Throttle } from "../../../src/throttle/throttle.js";
import { AstroConfigError } from "../../../src/errors/error-classes.js";

let unique = 0;
const hash = () => `window-${++unique}`;

describe("Throttle.run", () => {
  it("runs an attempt that finds budget in the same tick; the others wait, in order", async () => {
    const throttle = new Throttle({ limits: { get: 2 } });
    const token = hash();
    const order: number[] = [];
    let synchronous = false;
    const first = throttle.run(token, "get", async (ticket) => {
      synchronous = true;
      ticket.answered();
    });
    expect(synchronous).toBe(true);
    const rest = [1, 2, 3, 4].map((n) =>
      throttle.run(token, "get", async (ticket) => {
        order.push(n);
        ticket.answered();
      }),
    );
    expect(order).toEqual([1]);
    expect(throttle.stats().get.queued).toBe(3);
    await Promise.all([first, ...rest]);
    expect(order).toEqual([1, 2, 3, 4]);
  }, 10_000);

  it("with asserted bounds, a slow operation's unit comes back a window after sending, before it ends", async () => {
    const throttle = new Throttle({ limits: { post: 1 }, networkDelayMs: { min: 0, max: 10 } });
    const token = hash();
    const started = performance.now();
    let firstEnded = 0;
    const slow = throttle.run(token, "post", async (ticket) => {
      ticket.sent();
      await sleep(2500);
      ticket.answered();
      firstEnded = performance.now() - started;
    });
    let secondStarted = 0;
    await throttle.run(token, "post", async (ticket) => {
      secondStarted = performance.now() - started;
      ticket.sent();
      ticket.answered();
    });
    expect(secondStarted).toBeGreaterThanOrEqual(1010);
    expect(firstEnded).toBe(0);
    await slow;
  }, 10_000);

  it("without bounds, the same unit waits for the response", async () => {
    const throttle = new Throttle({ limits: { post: 1 } });
    const token = hash();
    const started = performance.now();
    const slow = throttle.run(token, "post", async (ticket) => {
      ticket.sent();
      await sleep(300);
      ticket.answered();
    });
    let secondStarted = 0;
    await throttle.run(token, "post", async () => {
      secondStarted = performance.now() - started;
    });
    expect(secondStarted).toBeGreaterThanOrEqual(1300);
    await slow;
  }, 10_000);

  it("a 429 pauses every call of the budget for its Retry-After", async () => {
    const throttle = new Throttle({ limits: { get: 25 } });
    const token = hash();
    await throttle.run(token, "get", async (ticket) => ticket.rateLimited(600));
    const started = performance.now();
    await throttle.run(token, "get", async (ticket) => ticket.answered());
    expect(performance.now() - started).toBeGreaterThanOrEqual(590);
  }, 10_000);

  it("rejects networkDelayMs it cannot use", () => {
    for (const networkDelayMs of [
      { min: 10, max: 5 },
      { min: -1, max: 5 },
      { min: 0, max: Infinity },
      { min: 0, max: 2 ** 31 },
      { min: Number.NaN, max: 5 },
      null,
      "fast",
    ]) {
      expect(() => new Throttle({ networkDelayMs: networkDelayMs as never })).toThrow(AstroConfigError);
    }
  });
});

describe('networkDelayMs: "measured"', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /**
   * Ten attempts queued at once on a budget of 1 per window, each answered 200 ms after it
   * started, and saying it sent its request `sentAfterMs` after it started (or never saying so):
   * how long after the ninth attempt's answer the tenth started.
   */
  async function gapBeforeTenth(sentAfterMs: number | undefined): Promise<number> {
    const throttle = new Throttle({ limits: { get: 1 }, networkDelayMs: "measured" });
    const token = hash();
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const started: number[] = [];
    const answered: number[] = [];
    const attempts = Array.from({ length: 10 }, (_, i) =>
      throttle.run(token, "get", async (ticket) => {
        started[i] = performance.now();
        if (sentAfterMs !== undefined) {
          await wait(sentAfterMs);
          ticket.sent();
        }
        await wait(200 - (sentAfterMs ?? 0));
        ticket.answered();
        answered[i] = performance.now();
      }),
    );
    for (let i = 0; i < 150 && answered.length < 10; i++) await vi.advanceTimersByTimeAsync(100);
    await Promise.all(attempts);
    return started[9]! - answered[8]!;
  }

  it("learns the round trip from the moment a request was sent (positive control)", async () => {
    // Sent at once: 200 ms round trips, so half of one (100 ms) is taken off each window.
    const gap = await gapBeforeTenth(0);
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(gap).toBeLessThan(1000);
  });

  it("learns nothing from attempts that never said when they sent", async () => {
    // Timed from the grant, 200 ms would include time before sending (a token function), and
    // half of it could exceed the network's floor: nothing is learnt, each unit waits a window.
    expect(await gapBeforeTenth(undefined)).toBeGreaterThanOrEqual(1005);
  });
});
