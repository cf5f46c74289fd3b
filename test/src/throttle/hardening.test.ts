/*
 * Issue #14, throttle side (classes 7, 8, 9) and #18's 429 feedback, against a real local server
 * that records when each request arrived. Invariants are exact (no slack on a limit); time
 * bounds are wide, for a loaded machine.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { clientFor, json, ownRecordingServer, rejection } from "../../helpers/client.js";
import { startRecordingServer, type RecordingServer } from "../../helpers/recording-server.js";
import { until } from "../../helpers/redis-server.js";
import { maxInWindow } from "../../helpers/windows.js";
import { takeWarnings } from "../../helpers/warnings.js";

/*
 * Each test has its own recording server and tokens, so that the tests that spend their time
 * waiting for windows run side by side (`describe.concurrent`). Two run alone, after them: the
 * slow creates, whose asserted 50 ms network bound the server's arrival times would miss on an
 * event loop busy with other tests, and the one that makes 5,000 calls.
 */
let unique = 0;
const token = (name: string) => `${name}-${++unique}-${process.pid}`;
const arrivals = (server: RecordingServer, auth?: string) =>
  server.received
    .filter((r) => auth === undefined || r.headers.authorization === `Bearer ${auth}`)
    .map((r) => r.startedAt);

describe.concurrent("class 7: a call sends the token current when it is sent", () => {
  it("calls that waited for budget through a rotation send the new token, within the new token's budget", async (context) => {
    const server = await ownRecordingServer(context);
    const before = token("rotate-old");
    const after = token("rotate-new");
    let current = before;
    // Like the API after a rotation: the old token is revoked.
    server.handle((req, res) => json(res, req.headers.authorization === `Bearer ${current}` ? 200 : 401, {}));
    const astro = clientFor(server, { token: () => current, throttle: { limits: { get: 2 } } });
    const waiting = Array.from({ length: 6 }, () => astro.platform.GET("/organizations"));
    // The budget's two units go with the old token; the server must have answered them before the
    // rotation revokes it (a loaded machine takes a while to deliver them).
    await until(() => arrivals(server, before).length >= 2);
    await sleep(100);
    expect(arrivals(server, before)).toHaveLength(2);
    current = after;
    // Calls made with the new token meanwhile share its budget with the ones that waited.
    const fresh = Array.from({ length: 3 }, () => astro.platform.GET("/organizations"));
    const results = await Promise.allSettled([...waiting, ...fresh]);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(arrivals(server, before)).toHaveLength(2);
    expect(arrivals(server, after)).toHaveLength(7);
    expect(maxInWindow(arrivals(server, after))).toBeLessThanOrEqual(2);
  }, 30_000);
});

describe.concurrent("class 8: one token, one budget per method class in a process", () => {
  it("clients with different limits share the strictest", async (context) => {
    const server = await ownRecordingServer(context);
    const shared = token("strict");
    const loose = clientFor(server, { token: shared });
    const strict = clientFor(server, { token: shared, throttle: { limits: { get: 5 } } });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? loose : strict).platform.GET("/organizations")),
    );
    expect(maxInWindow(arrivals(server, shared))).toBe(5);
  }, 30_000);

  it("clients with different marginMs do not double the budget", async (context) => {
    const server = await ownRecordingServer(context);
    const shared = token("margin");
    const a = clientFor(server, { token: shared, throttle: { limits: { get: 4 }, marginMs: 0 } });
    const b = clientFor(server, { token: shared, throttle: { limits: { get: 4 }, marginMs: 100 } });
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).platform.GET("/organizations")));
    expect(maxInWindow(arrivals(server, shared))).toBe(4);
  }, 30_000);
});

describe.concurrent("attempts that reach nothing", () => {
  it("a refused connection holds no unit: the next call does not wait", async (context) => {
    const server = await ownRecordingServer(context);
    const closed = await startRecordingServer();
    const url = closed.url;
    await closed.close();
    const astro = clientFor(server, {
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

describe.concurrent("429 feedback (#18)", () => {
  it("a server limit below the client's: the whole budget slows within a window, every call succeeds", async (context) => {
    const server = await ownRecordingServer(context);
    const serverLimit = 10;
    const accepted: number[] = [];
    const refusedAt: number[] = [];
    server.handle((req, res) => {
      const now = req.startedAt;
      if (accepted.filter((t) => now - t < 1000).length >= serverLimit) {
        refusedAt.push(now);
        return json(res, 429, { message: "slow down" }, { "retry-after": "1" });
      }
      accepted.push(now);
      return json(res, 200, {});
    });
    const mine = token("429");
    const astro = clientFor(server, { token: mine, maxRetries: 6 });
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, () => astro.platform.GET("/organizations")),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const first429 = Math.min(...refusedAt);
    // Within one window of the first 429, no window holds more than 70% of the client's limit.
    const later = arrivals(server, mine).filter((t) => t > first429 + 1000);
    expect(maxInWindow(later)).toBeLessThanOrEqual(17);
    // Without feedback each window would send 25 and have 15 refused, about 75 in all.
    expect(refusedAt.length).toBeLessThan(45);
  }, 60_000);
});

describe("asserted network bounds (#18)", () => {
  it("slow creates: units come back a window after sending, and the window holds at the server", async (context) => {
    const server = await ownRecordingServer(context);
    const mine = token("slow-create");
    server.handle((_, res) => setTimeout(() => json(res, 200, { id: "t" }), 1500));
    const astro = clientFor(server, {
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
    expect(maxInWindow(arrivals(server, mine))).toBe(2);
    // Waiting for each response, 3 turns would take 3 × (1.5 s + 1 s); a window after sending, ≈ 2 s + 1.5 s.
    expect(performance.now() - started).toBeLessThan(6000);
  }, 30_000);
});

describe("class 9: an aborted call costs nothing", () => {
  it("aborting 5,000 queued calls leaves the next call's wait unchanged, and they leave the queue at once", async (context) => {
    const server = await ownRecordingServer(context);
    const mine = token("abort-many");
    const astro = clientFor(server, { token: mine, throttle: { limits: { get: 1 } } });
    // The first call holds the only unit until the test lets its response go.
    let respond!: () => void;
    const held = new Promise<void>((resolve) => (respond = resolve));
    server.handle(async (_, res) => {
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
    // Issue #26 item 3: the transport adds an abort listener per call to the caller's signal, and
    // Node warns past 10. Taken here until src/transport is fixed; nothing else may be emitted.
    for (const warning of takeWarnings({ name: "MaxListenersExceededWarning" }))
      expect(warning.message).toContain("abort listeners added to [AbortSignal]");
    expect(reasons.every((reason) => (reason as Error).message === "never mind")).toBe(true);
    expect(astro.stats().get.queued).toBe(1);
    const respondedAt = performance.timeOrigin + performance.now();
    respond();
    await firstCall;
    await next;
    expect(arrivals(server, mine)).toHaveLength(2);
    // The next call takes the unit when it comes back, a window after the first response;
    // 5,000 aborted calls ahead of it cost it nothing (Bottleneck spent ≈ 4 timer turns on each).
    const waited = arrivals(server, mine)[1]! - respondedAt;
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(2000);
  }, 60_000);

  it("a call aborted before its turn sends nothing and leaves the budget whole", async (context) => {
    const server = await ownRecordingServer(context);
    const mine = token("abort-grant");
    const astro = clientFor(server, { token: mine, throttle: { limits: { get: 1 } } });
    const controller = new AbortController();
    // Aborted in the tick it is made.
    const call = astro.platform.GET("/organizations", { signal: controller.signal });
    controller.abort(new Error("changed my mind"));
    expect((await rejection(call)).message).toBe("changed my mind");
    const started = performance.now();
    await astro.platform.GET("/organizations");
    expect(performance.now() - started).toBeLessThan(500);
    expect(arrivals(server, mine)).toHaveLength(1);
  });
});
