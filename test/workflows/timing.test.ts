import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroConfigError } from "../../src/index.js";
import { WAITER_DEFAULTS } from "../../src/workflows/index.js";
import { sleep } from "../../src/transport/timers.js";
import { backoffDelay, resolveTiming } from "../../src/workflows/timing.js";

const timing = fc
  .tuple(fc.double({ min: 1, max: 1e9, noNaN: true }), fc.double({ min: 1, max: 1e9, noNaN: true }))
  .map(([a, b]) => ({ maxWaitMs: 1e6, minDelayMs: Math.min(a, b), maxDelayMs: Math.max(a, b) }));

describe("backoffDelay", () => {
  it("stays within [minDelayMs, maxDelayMs] for any attempt and randomness, and never shrinks its floor", () => {
    fc.assert(
      fc.property(
        timing,
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (t, attempt, r) => {
          const delay = backoffDelay(attempt, t, () => r);
          expect(Number.isFinite(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(t.minDelayMs);
          expect(delay).toBeLessThanOrEqual(t.maxDelayMs);
          // The lowest possible delay never falls as attempts go on.
          expect(backoffDelay(attempt + 1, t, () => 0)).toBeGreaterThanOrEqual(
            backoffDelay(attempt, t, () => 0),
          );
        },
      ),
    );
  });

  it("doubles its ceiling from minDelayMs and keeps jitter at the cap", () => {
    const t = { maxWaitMs: 1e6, minDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, t, () => 0.999999))).toEqual(
      [100, 199.9999, 399.9998, 799.9996, 999.9995, 999.9995].map((x): unknown => expect.closeTo(x, 2)),
    );
    expect(backoffDelay(50, t, () => 0)).toBe(500);
  });
});

describe("resolveTiming", () => {
  it("fills defaults, lifts maxDelayMs to a larger minDelayMs, and lowers minDelayMs to a smaller maxDelayMs", () => {
    const d = WAITER_DEFAULTS.deployFinished;
    expect(resolveTiming({}, d)).toEqual(d);
    expect(resolveTiming({ minDelayMs: 60_000 }, d)).toMatchObject({
      minDelayMs: 60_000,
      maxDelayMs: 60_000,
    });
    expect(resolveTiming({ maxDelayMs: 500 }, d)).toMatchObject({ minDelayMs: 500, maxDelayMs: 500 });
  });

  it("rejects anything but a finite positive number", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(0, -0, -1, Number.NaN, Infinity, -Infinity, "10", null, {}, true),
          fc.double({ max: 0 }),
        ),
        fc.constantFrom("maxWaitMs", "minDelayMs", "maxDelayMs"),
        (value, name) => {
          expect(() => resolveTiming({ [name]: value }, WAITER_DEFAULTS.deleted)).toThrow(AstroConfigError);
        },
      ),
    );
  });
});

describe("sleep", () => {
  it("chains timers past 2^31-1 ms instead of firing at once, and aborts", async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    const controller = new AbortController();
    let settled = false;
    const pending = sleep(2 ** 31 + 10, controller.signal).then(
      () => (settled = true),
      () => "aborted",
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    controller.abort();
    expect(await pending).toBe("aborted");
    process.off("warning", onWarning);
    expect(warnings.filter((w) => w.name === "TimeoutOverflowWarning")).toEqual([]);
  });
});
