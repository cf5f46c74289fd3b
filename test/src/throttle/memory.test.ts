/*
 * Issue #14 class 10: memory is bounded by what is in use. A service that sees thousands of
 * tokens over a day (one per tenant) must not keep a budget for each forever.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, vi } from "vitest";
import { keptBudgets } from "../../../src/throttle/registry.js";
import { clientFor, useRecordingServer } from "../../helpers/client.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const ctx = useRecordingServer();

function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe("class 10: per-token budgets of tokens no longer used are released", () => {
  it("4 batches of 1,500 tokens, a window apart: budgets kept and heap stay flat", async () => {
    const BATCH = 1500;
    let tenant = 0;
    let batch = 0;
    const astro = clientFor(ctx.server, { token: () => `tenant-${batch}-${tenant++ % BATCH}` });
    const heap: number[] = [];
    // The budgets' clock (performance.now) is moved on a window instead of waiting one: what is
    // under test is which budgets the registry keeps, not the window's timing. Timers stay real;
    // no call waits (each token makes one), so none is due meanwhile.
    vi.useFakeTimers({ toFake: ["performance"] });
    try {
      for (batch = 0; batch < 4; batch++) {
        for (let i = 0; i < BATCH; i += 100) {
          await Promise.all(Array.from({ length: 100 }, () => astro.platform.GET("/organizations")));
        }
        // Each budget holds its unit a window after the response; then it is idle.
        vi.advanceTimersByTime(1100);
        ctx.server.received.length = 0;
        heap.push(heapMiB());
      }
    } finally {
      vi.useRealTimers();
    }
    // Budgets of earlier batches were swept while later ones were made: at most about twice
    // what is in use (one batch), never the 6,000 tokens seen.
    expect(keptBudgets()).toBeLessThanOrEqual(2 * BATCH + 64);
    // The heap after the last batch is about what it was after the first: no budget per token
    // seen piles up (a Bottleneck instance per token grew it by several MiB per batch).
    expect(heap[3]! - heap[0]!).toBeLessThan(3);
  }, 120_000);
});

describe("a budget swept while a client remembered it", () => {
  it("the client finds the one other clients use now: one budget per token still", async () => {
    const shared = "swept-and-remade";
    const limits = { limits: { get: 1 } };
    const a = clientFor(ctx.server, { token: shared, throttle: limits });
    await a.platform.GET("/organizations");
    // The unit comes back a window after the response; the budget is idle after that.
    await sleep(1100);
    // Other tokens until the registry sweeps (the count of budgets drops), which forgets the idle
    // budget `a` used.
    const others = clientFor(ctx.server, { token: () => `sweep-filler-${Math.random()}` });
    let swept = false;
    for (let round = 0; round < 100 && !swept; round++) {
      const before = keptBudgets();
      await Promise.all(Array.from({ length: 100 }, () => others.platform.GET("/organizations")));
      swept = keptBudgets() < before + 100;
    }
    expect(swept).toBe(true);
    // A second client takes the token's unit from a new budget; `a` must wait for it too.
    const b = clientFor(ctx.server, { token: shared, throttle: limits });
    await b.platform.GET("/organizations");
    const started = performance.now();
    await a.platform.GET("/organizations");
    expect(performance.now() - started).toBeGreaterThan(800);
  }, 30_000);
});
