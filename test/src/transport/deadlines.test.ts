/**
 * The attempts' timeouts on one process-wide timer (src/transport/deadlines.ts): the order and
 * timing logic on a controlled clock, and with real timers what only they show (keeping a process
 * alive; a clock that jumped).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, vi } from "vitest";
import { unwatch, watch, type Deadline } from "../../../src/transport/deadlines.js";
import { runs } from "../../helpers/depth.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** A deadline `inMs` from now that records when it expired. */
function deadline(inMs: number, expired: Map<Deadline, number>): Deadline {
  const d: Deadline = {
    at: performance.now() + inMs,
    expire: () => expired.set(d, performance.now()),
  };
  return d;
}

describe("deadlines", () => {
  it("expires each attempt at its own time, never early, whatever order they start in", async () => {
    // A controlled clock: each timer fires exactly when due, so "on time" can be exact (the timer
    // is set in whole milliseconds, rounded up) and "settled first" needs no margin.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              inMs: fc.integer({ min: 5, max: 120 }),
              settleMs: fc.option(fc.integer({ min: 0, max: 150 })),
            }),
            { minLength: 1, maxLength: 8 },
          ),
          fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 8, maxLength: 8 }),
          async (plans, gaps) => {
            const expired = new Map<Deadline, number>();
            const watched: { d: Deadline; settleAt: number | null }[] = [];
            for (const [i, plan] of plans.entries()) {
              // Attempts start at different times, later ones sometimes due before earlier ones.
              await vi.advanceTimersByTimeAsync(gaps[i]!);
              const d = deadline(plan.inMs, expired);
              watch(d);
              // An attempt that settles is unwatched then (a `null` one never settles).
              if (plan.settleMs !== null) setTimeout(() => unwatch(d), plan.settleMs);
              watched.push({
                d,
                settleAt: plan.settleMs === null ? null : performance.now() + plan.settleMs,
              });
            }
            await vi.advanceTimersByTimeAsync(400);
            for (const { d, settleAt } of watched) {
              const at = expired.get(d);
              // Settled before its time: never expired; never settled or settled after: expired. (Both
              // at the same instant may go either way.)
              if (settleAt !== null && settleAt < d.at) expect(at).toBeUndefined();
              if (settleAt === null || settleAt > d.at) expect(at).toBeDefined();
              if (at !== undefined) {
                expect(at).toBeGreaterThanOrEqual(d.at);
                expect(at - d.at).toBeLessThanOrEqual(1);
              }
              unwatch(d);
            }
          },
        ),
        { numRuns: runs(50) },
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it("an earlier deadline watched after a later one still expires on time", async () => {
    const expired = new Map<Deadline, number>();
    const late = deadline(10_000, expired);
    const early = deadline(30, expired);
    watch(late);
    watch(early);
    await sleep(250);
    expect(expired.has(early)).toBe(true);
    expect(expired.has(late)).toBe(false);
    unwatch(late);
  });

  for (const [behindMs, firstInMs, afterInMs] of [
    // The timer is due at a time the real clock passed long ago, yet fires only in 30 s.
    [60_000, 30_000, 200],
    // It is due at a time still ahead, before the next deadline: yet it fires a second after that.
    [1_000, 2_000, 1_200],
  ] as const) {
    it(`a timer armed on a clock ${behindMs} ms behind does not hold back the deadlines after it`, async () => {
      // A clock behind the real one (a test's fake `performance` counts from 0) arms the timer at a
      // time that means nothing on the real clock. A deadline watched after the switch back must
      // still expire at its own time.
      const realNow = performance.now.bind(performance);
      const behind = vi.spyOn(performance, "now").mockImplementation(() => realNow() - behindMs);
      const expired = new Map<Deadline, number>();
      const before = deadline(firstInMs, expired);
      try {
        watch(before);
        unwatch(before);
      } finally {
        behind.mockRestore();
      }
      const after = deadline(afterInMs, expired);
      watch(after);
      await sleep(afterInMs + 500);
      expect(expired.has(after)).toBe(true);
    });
  }

  it("keeps a script alive while an attempt is watched, and not once none is", () => {
    // The script watches a 300 ms deadline and nothing else: the process must wait for it. Then it
    // watches a 60 s one and unwatches it at once: the process must exit without waiting a minute.
    const script = `
      import { watch, unwatch } from "./src/transport/deadlines.ts";
      const started = performance.now();
      watch({ at: performance.now() + 300, expire() {
        console.log("expired after", Math.round(performance.now() - started));
        const d = { at: performance.now() + 60_000, expire() { console.log("kept alive"); } };
        watch(d);
        unwatch(d);
      } });
    `;
    const started = performance.now();
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^expired after \d+\n$/);
    expect(Number(/\d+/.exec(run.stdout)![0])).toBeGreaterThanOrEqual(299);
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
