/*
 * Issue #14, throttle side (classes 7, 8, 9) and #18's 429 feedback, against a real local server
 * that records when each request arrived. Invariants are exact (no slack on a limit); time
 * bounds are wide, for a loaded machine.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { clientFor, json, rejection, useRecordingServer } from "../../helpers/client.js";
import { startRecordingServer } from "../../helpers/recording-server.js";
import { maxInWindow } from "../../helpers/windows.js";

const ctx = useRecordingServer();
let unique = 0;
const token = (name: string) => `${name}-${++unique}-${process.pid}`;
const arrivals = (auth?: string) =>
  ctx.server.received
    .filter((r) => auth === undefined || r.headers.authorization === `Bearer ${auth}`)
    .map((r) => r.startedAt);

describe("class 7: a call sends the token current when it is sent", () => {
  it("calls that waited for budget through a rotation send the new token, within the new token's budget", async () => {
    const before = token("rotate-old");
    const after = token("rotate-new");
    let current = before;
    // Like the API after a rotation: the old token is revoked.
    ctx.server.handle((req, res) =>
      json(res, req.headers.authorization === `Bearer ${current}` ? 200 : 401, {}),
    );
    const astro = clientFor(ctx.server, { token: () => current, throttle: { limits: { get: 2 } } });
    const waiting = Array.from({ length: 6 }, () => astro.platform.GET("/organizations"));
    await sleep(200);
    expect(arrivals(before)).toHaveLength(2);
    current = after;
    // Calls made with the new token meanwhile share its budget with the ones that waited.
    const fresh = Array.from({ length: 3 }, () => astro.platform.GET("/organizations"));
    const results = await Promise.allSettled([...waiting, ...fresh]);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(arrivals(before)).toHaveLength(2);
    expect(arrivals(after)).toHaveLength(7);
    expect(maxInWindow(arrivals(after))).toBeLessThanOrEqual(2);
  }, 30_000);
});

describe("class 8: one token, one budget per method class in a process", () => {
  it("clients with different limits share the strictest", async () => {
    const shared = token("strict");
    const loose = clientFor(ctx.server, { token: shared });
    const strict = clientFor(ctx.server, { token: shared, throttle: { limits: { get: 5 } } });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? loose : strict).platform.GET("/organizations")),
    );
    expect(maxInWindow(arrivals(shared))).toBe(5);
  }, 30_000);

  it("clients with different marginMs do not double the budget", async () => {
    const shared = token("margin");
    const a = clientFor(ctx.server, { token: shared, throttle: { limits: { get: 4 }, marginMs: 0 } });
    const b = clientFor(ctx.server, { token: shared, throttle: { limits: { get: 4 }, marginMs: 100 } });
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).platform.GET("/organizations")));
    expect(maxInWindow(arrivals(shared))).toBe(4);
  }, 30_000);
});

describe("class 9: an aborted call costs nothing", () => {
  it("aborting 5,000 queued calls leaves the next call's wait unchanged, and they leave the queue at once", async () => {
    const mine = token("abort-many");
    const astro = clientFor(ctx.server, { token: mine, throttle: { limits: { get: 1 } } });
    // The first call holds the only unit until the test lets its response go.
    let respond!: () => void;
    const held = new Promise<void>((resolve) => (respond = resolve));
    ctx.server.handle(async (_, res) => {
      await held;
      json(res, 200, {});
    });
    const firstCall = astro.platform.GET("/organizations");
    const controller = new AbortController();
    const aborted = Array.from({ length: 5000 }, () =>
      astro.platform.GET("/organizations", { signal: controller.signal }).catch((error: unknown) => error),
    );
    const next = astro.platform.GET("/organizations");
    // Making 5,001 calls takes a while on a loaded machine: wait until they all queue.
    for (let i = 0; i < 400 && astro.stats().get.queued < 5001; i++) await sleep(50);
    expect(astro.stats().get.queued).toBe(5001);
    controller.abort(new Error("never mind"));
    const reasons = await Promise.all(aborted);
    expect(reasons.every((reason) => (reason as Error).message === "never mind")).toBe(true);
    expect(astro.stats().get.queued).toBe(1);
    const respondedAt = performance.timeOrigin + performance.now();
    respond();
    await firstCall;
    await next;
    expect(arrivals(mine)).toHaveLength(2);
    // The next call takes the unit when it comes back, a window after the first response;
    // 5,000 aborted calls ahead of it cost it nothing (Bottleneck spent ≈ 4 timer turns on each).
    const waited = arrivals(mine)[1]! - respondedAt;
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(2000);
  }, 60_000);

  it("a call aborted before its turn sends nothing and leaves the budget whole", async () => {
    const mine = token("abort-grant");
    const astro = clientFor(ctx.server, { token: mine, throttle: { limits: { get: 1 } } });
    const controller = new AbortController();
    // Aborted in the tick it is made.
    const call = astro.platform.GET("/organizations", { signal: controller.signal });
    controller.abort(new Error("changed my mind"));
    expect((await rejection(call)).message).toBe("changed my mind");
    const started = performance.now();
    await astro.platform.GET("/organizations");
    expect(performance.now() - started).toBeLessThan(500);
    expect(arrivals(mine)).toHaveLength(1);
  });
});

describe("attempts that reach nothing", () => {
  it("a refused connection holds no unit: the next call does not wait", async () => {
    const closed = await startRecordingServer();
    const url = closed.url;
    await closed.close();
    const astro = clientFor(ctx.server, {
      token: token("refused"),
      urls: { platform: url, iam: url },
      maxRetries: 0,
      throttle: { limits: { get: 1 } },
    });
    await rejection(astro.platform.GET("/organizations"));
    const started = performance.now();
    await rejection(astro.platform.GET("/organizations"));
    // Held as unanswered it would wait 11 s; as a request that surely arrived, 1 s.
    expect(performance.now() - started).toBeLessThan(900);
  }, 30_000);
});

describe("asserted network bounds (#18)", () => {
  it("slow creates: units come back a window after sending, and the window holds at the server", async () => {
    const mine = token("slow-create");
    ctx.server.handle((_, res) => setTimeout(() => json(res, 200, { id: "t" }), 1500));
    const astro = clientFor(ctx.server, {
      token: mine,
      throttle: { limits: { post: 2 }, networkDelayMs: { min: 0, max: 50 } },
    });
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 6 }, () =>
        astro.iam.POST("/organizations/{organizationId}/teams", {
          params: { path: { organizationId: "o" } },
          body: { name: "t" },
        }),
      ),
    );
    expect(maxInWindow(arrivals(mine))).toBe(2);
    // Waiting for each response, 3 turns would take 3 × (1.5 s + 1 s); a window after sending, ≈ 2 s + 1.5 s.
    expect(performance.now() - started).toBeLessThan(6000);
  }, 30_000);
});

describe("429 feedback (#18)", () => {
  it("a server limit below the client's: the whole budget slows within a window, every call succeeds", async () => {
    const serverLimit = 10;
    const accepted: number[] = [];
    const refusedAt: number[] = [];
    ctx.server.handle((req, res) => {
      const now = req.startedAt;
      if (accepted.filter((t) => now - t < 1000).length >= serverLimit) {
        refusedAt.push(now);
        return json(res, 429, { message: "slow down" }, { "retry-after": "1" });
      }
      accepted.push(now);
      return json(res, 200, {});
    });
    const mine = token("429");
    const astro = clientFor(ctx.server, { token: mine, maxRetries: 6 });
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, () => astro.platform.GET("/organizations")),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const first429 = Math.min(...refusedAt);
    // Within one window of the first 429, no window holds more than 70% of the client's limit.
    const later = arrivals(mine).filter((t) => t > first429 + 1000);
    expect(maxInWindow(later)).toBeLessThanOrEqual(17);
    // Without feedback each window would send 25 and have 15 refused, about 75 in all.
    expect(refusedAt.length).toBeLessThan(45);
  }, 60_000);
});
