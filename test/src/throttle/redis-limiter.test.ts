/**
 * The Redis limiter within one process, with a real redis-server and a real recording server:
 * abort while queued, several clients of one token, stats and close().
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAstroClient, type AstroClient } from "../../../src/v1beta1/index.js";
import { AstroRedisError } from "../../../src/throttle/redis/error.js";
import { Throttle } from "../../../src/throttle/throttle.js";
import { json, rejection } from "../../helpers/client.js";
import { startRecordingServer, type RecordingServer } from "../../helpers/recording-server.js";
import { startRedisServer, until, type RedisServer } from "../../helpers/redis-server.js";
import { maxInWindow } from "../../helpers/windows.js";

let redis: RedisServer;
let server: RecordingServer;
let prefixes = 0;

beforeAll(async () => {
  [redis, server] = await Promise.all([
    startRedisServer(),
    startRecordingServer((request, res) =>
      setTimeout(() => json(res, 200, {}), request.url.includes("slow") ? 200 : 2),
    ),
  ]);
});
afterAll(async () => {
  await Promise.all([redis?.stop(), server?.close()]);
});

function client(get: number, prefix = `limiter-${++prefixes}`): AstroClient {
  return createAstroClient({
    token: "limiter-token",
    urls: { platform: server.url, iam: server.url },
    maxRetries: 0,
    throttle: { limits: { get }, redis: { url: redis.url }, prefix },
  });
}

const get = (astro: AstroClient, clusterId = "c", signal?: AbortSignal) =>
  astro.platform.GET("/organizations/{organizationId}/clusters/{clusterId}", {
    params: { path: { organizationId: "o", clusterId } },
    signal,
  });

function received(clusterPrefix: string): number[] {
  return server.received.filter((r) => r.url.includes(`/clusters/${clusterPrefix}`)).map((r) => r.startedAt);
}

describe("the Redis limiter in one process", () => {
  it("rejects a call aborted while queued at once; it is never sent and its unit goes straight back", async () => {
    const astro = client(2);
    const first = [get(astro, "abort-slow-1"), get(astro, "abort-slow-2")];
    await until(() => received("abort-slow").length === 2);
    const controller = new AbortController();
    const queued = get(astro, "abort-never", controller.signal);
    const next = get(astro, "abort-next");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(astro.stats().get.queued).toBe(2);
    const abortedAt = performance.now();
    controller.abort(new Error("changed my mind"));
    expect((await rejection(queued)).message).toBe("changed my mind");
    // "At once": well before the ~1.1 s a unit needs to come back (the slow answers take 200 ms,
    // then a window); the margin is for a loaded machine's event loop.
    expect(performance.now() - abortedAt).toBeLessThan(500);
    await Promise.all([...first, next]);
    expect(received("abort-never")).toEqual([]);
    // `next` took the first unit to come back, not one after the aborted call's.
    const [slow] = received("abort-slow");
    const [after] = received("abort-next");
    expect(after! - slow!).toBeLessThan(2 * 1000);
    expect(maxInWindow([...received("abort-slow"), after!])).toBeLessThanOrEqual(2);
    await astro.close();
  });

  it("shares one budget between clients of the same token and prefix", async () => {
    const prefix = `together-${Date.now()}`;
    const clients = [client(5, prefix), client(5, prefix)];
    await Promise.all(
      clients.flatMap((astro, i) => Array.from({ length: 10 }, () => get(astro, `together-${i}`))),
    );
    const times = received("together-");
    expect(times).toHaveLength(20);
    expect(maxInWindow(times)).toBeLessThanOrEqual(5);
    await Promise.all(clients.map((astro) => astro.close()));
  });

  it("close() rejects the calls still waiting, waits for sent ones to release their units, and refuses new calls", async () => {
    const astro = client(2);
    const calls = Array.from({ length: 6 }, (_, i) =>
      get(astro, `close-${i}`).then(
        () => "sent",
        (error: Error) => error,
      ),
    );
    await until(() => received("close-").length === 2);
    expect(astro.stats().get).toEqual({ queued: 4, running: expect.any(Number) as number });
    const closing = performance.now();
    await astro.close();
    // The two sent requests hold their units for a window after they ended.
    expect(performance.now() - closing).toBeGreaterThanOrEqual(900);
    const results = await Promise.all(calls);
    expect(results.filter((result) => result === "sent")).toHaveLength(2);
    const refused = results.filter((result): result is Error => result instanceof Error);
    expect(refused).toHaveLength(4);
    for (const error of refused) {
      expect(error).toBeInstanceOf(AstroRedisError);
      expect(error.message).toContain("throttle.redis: the client was closed");
    }
    expect((await rejection(get(astro, "close-after"))).message).toContain("the client was closed");
    expect(received("close-")).toHaveLength(2);
  });

  it("a 429 seen by one client pauses the budget for every client sharing it through Redis", async () => {
    const prefix = `limiter-429-${++prefixes}`;
    // Two throttles with their own connections, as two processes would have.
    const a = new Throttle({ redis: { url: redis.url }, prefix }, {});
    const b = new Throttle({ redis: { url: redis.url }, prefix }, {});
    const token = "0123456789abcdef";
    try {
      await Promise.all([
        a.run(token, "get", async (ticket) => ticket.answered()),
        b.run(token, "get", async (ticket) => ticket.answered()),
      ]);
      await a.run(token, "get", async (ticket) => ticket.rateLimited(1500));
      // The news travels through Redis' pub/sub.
      await new Promise((resolve) => setTimeout(resolve, 150));
      const started = performance.now();
      await b.run(token, "get", async (ticket) => ticket.answered());
      expect(performance.now() - started).toBeGreaterThanOrEqual(1200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 30_000);
});
