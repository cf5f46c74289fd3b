/**
 * `throttle.redis` with its code loaded at the first call (src/throttle/lazy-redis.ts), against a
 * real redis-server: what happens before and while the Redis limiter is loaded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AstroRedisError } from "../../../src/throttle/redis/error.js";
import { Throttle } from "../../../src/throttle/throttle.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";

let redis: RedisServer;
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

/** A throttle sharing budgets through the test's Redis, counting how often it loads ioredis. */
function throttle(): { throttle: Throttle; loads: () => number } {
  let loads = 0;
  const shared = new Throttle(
    { redis: { url: redis.url }, prefix: `lazy-${++prefixes}` },
    {
      loadRedis: () => {
        loads++;
        return import("ioredis");
      },
    },
  );
  return { throttle: shared, loads: () => loads };
}

describe("throttle.redis loaded at the first call", () => {
  // First in this file: the Redis code is not loaded yet, so the call waits for it.
  it("counts a call as queued from the moment it is made, and an abort rejects it with the reason", async () => {
    const { throttle: shared } = throttle();
    try {
      const controller = new AbortController();
      const waiting = Promise.resolve(shared.acquire("hash", "get", controller.signal));
      expect(shared.stats().get.queued).toBe(1);
      const reason = new Error("changed my mind");
      controller.abort(reason);
      await expect(waiting).rejects.toBe(reason);
      expect(shared.stats().get.queued).toBe(0);
      // The next call gets its unit through Redis.
      const ticket = await shared.acquire("hash", "get");
      ticket.unsent();
      ticket.end();
    } finally {
      await shared.close();
    }
  });

  it("a throttle closed before its first call rejects later calls with AstroRedisError and never connects", async () => {
    const { throttle: closed, loads } = throttle();
    await closed.close();
    await expect(Promise.resolve(closed.acquire("hash", "get"))).rejects.toBeInstanceOf(AstroRedisError);
    await expect(Promise.resolve(closed.acquire("hash", "post"))).rejects.toThrow(/closed/);
    expect(loads()).toBe(0);
    expect(closed.stats().get).toEqual({ queued: 0, running: 0 });
  });
});
