/**
 * What Bottleneck 2.19.5's clustering does on the Redis 7 of this machine, and why the SDK patches
 * it (src/throttle/redis/compat.ts) and holds slots instead of giving reservoir units back
 * (src/throttle/redis/limiter.ts). These tests use Bottleneck and ioredis directly.
 */
import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { patchForRedis7 } from "../../../src/throttle/redis/compat.js";
import { startRedisServer, until, type RedisServer } from "../../helpers/redis-server.js";

let redis: RedisServer;
let admin: Redis;
const opened: Array<{ limiter: Bottleneck; connection: Bottleneck.IORedisConnection }> = [];
let ids = 0;

beforeAll(async () => {
  redis = await startRedisServer();
  admin = new Redis(redis.url);
});
afterEach(async () => {
  for (const { limiter, connection } of opened.splice(0)) {
    await limiter.disconnect(false);
    await connection.disconnect(false);
  }
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.stop();
});

/** A clustered Bottleneck on the test's Redis, patched or as published. */
function clustered(
  options: Bottleneck.ConstructorOptions,
  patched: boolean,
): { limiter: Bottleneck; id: string } {
  const id = `evidence-${++ids}`;
  const connection = new Bottleneck.IORedisConnection({ client: new Redis(redis.url), Redis });
  if (patched) patchForRedis7(connection);
  const limiter = new Bottleneck({ id, datastore: "ioredis", connection, ...options });
  limiter.on("error", () => undefined);
  opened.push({ limiter, connection });
  return { limiter, id };
}

const job = () => Promise.resolve("ran");

describe("Bottleneck 2.19.5 clustering on Redis 7", () => {
  it("runs on Redis 7.x here", async () => {
    expect(await admin.info("server")).toMatch(/redis_version:7\./);
  });

  it("as published, never recovers once its keys expired: every later call rejects with ERR SETTINGS_KEY_NOT_FOUND", async () => {
    const { limiter, id } = clustered({ maxConcurrent: 5, timeout: 300 }, false);
    expect(await limiter.schedule(job)).toBe("ran");
    await until(async () => (await admin.exists(`b_${id}_settings`)) === 0);
    for (let i = 0; i < 3; i++)
      await expect(limiter.schedule(job)).rejects.toThrow("ERR SETTINGS_KEY_NOT_FOUND");
  });

  it("patched, re-creates its settings after they expired, as Bottleneck intends", async () => {
    const { limiter, id } = clustered({ maxConcurrent: 5, timeout: 300 }, true);
    expect(await limiter.schedule(job)).toBe("ran");
    await until(async () => (await admin.exists(`b_${id}_settings`)) === 0);
    expect(await limiter.schedule(job)).toBe("ran");
    expect(await admin.exists(`b_${id}_settings`)).toBe(1);
  });

  it("as published, never re-registers a process dropped as unresponsive (ERR UNKNOWN_CLIENT); patched, it does", async () => {
    for (const patched of [false, true]) {
      const { limiter, id } = clustered({ maxConcurrent: 5 }, patched);
      expect(await limiter.schedule(job)).toBe("ran");
      // What Bottleneck does to a process silent for longer than clientTimeout.
      const clientId = (limiter as unknown as { _store: { clientId: string } })._store.clientId;
      expect(await admin.zrem(`b_${id}_client_last_seen`, clientId)).toBe(1);
      if (patched) expect(await limiter.schedule(job)).toBe("ran");
      else await expect(limiter.schedule(job)).rejects.toThrow("ERR UNKNOWN_CLIENT");
    }
  });

  it("with a reservoir whose units are given back later, a reset of the keys lets the reservoir grow past the limit", async () => {
    // The in-process design (take a unit, give it back a window later), clustered and patched.
    const { limiter } = clustered({ reservoir: 5 }, true);
    const giveBacks: Promise<unknown>[] = [];
    const take = () =>
      limiter.schedule(async () => {
        giveBacks.push(
          new Promise((resolve) => setTimeout(resolve, 200)).then(() => limiter.incrementReservoir(1)),
        );
      });
    await Promise.all(Array.from({ length: 5 }, take));
    expect(await limiter.currentReservoir()).toBe(0);
    // Redis restarts without persistence (or evicts the keys) while those units are out.
    await admin.flushall();
    await take(); // re-creates the settings with the full reservoir, and takes one
    await Promise.all(giveBacks);
    // The new settings lent 1 unit and got 6 back: from now on 10 can start at once under a limit of 5.
    expect(await limiter.currentReservoir()).toBe(10);
  });
});
