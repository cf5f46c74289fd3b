/**
 * #26 class 1: messages read from Redis are checked. Whoever can publish on the budget's channel
 * writes what every process reads; a value of the wrong type or range must not pause a budget for
 * longer than the documented 60 s, and must never make a call hang.
 */
import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAstroClient } from "../../../src/index.js";
import { MAX_PAUSE_MS } from "../../../src/throttle/backoff.js";
import { parseBudgetMessage, rateLimitedText } from "../../../src/throttle/redis/message.js";
import { tokenHash } from "../../../src/transport/token.js";
import { json } from "../../helpers/client.js";
import { startRecordingServer, type RecordingServer } from "../../helpers/recording-server.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";

let redis: RedisServer;
let server: RecordingServer;
let publisher: Redis;

beforeAll(async () => {
  [redis, server] = await Promise.all([
    startRedisServer(),
    startRecordingServer((_, res) => json(res, 200, {})),
  ]);
  publisher = new Redis(redis.url);
});
afterAll(async () => {
  publisher?.disconnect();
  await Promise.all([redis?.stop(), server?.close()]);
});

describe("the budget message parser", () => {
  it("reads what this package publishes", () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 1, max: MAX_PAUSE_MS }), { nil: undefined }), (ms) => {
        expect(parseBudgetMessage(rateLimitedText(ms))).toEqual({ retryAfterMs: ms });
      }),
    );
  });

  it("returns nothing, or a pause within (0, 60 s], for any text and any JSON", () => {
    const anyJson = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.jsonValue().map((v) => JSON.stringify({ rateLimited: v, extra: v })),
      fc
        .oneof(fc.string(), fc.double(), fc.constant("1e4"), fc.constant(-1))
        .map((v) => JSON.stringify({ rateLimited: v })),
      fc.string(),
    );
    fc.assert(
      fc.property(anyJson, (text) => {
        const message = parseBudgetMessage(text);
        if (message === undefined || message.retryAfterMs === undefined) return;
        expect(typeof message.retryAfterMs).toBe("number");
        expect(message.retryAfterMs).toBeGreaterThan(0);
        expect(message.retryAfterMs).toBeLessThanOrEqual(MAX_PAUSE_MS);
      }),
    );
  });

  it("drops strings, huge texts and non-objects; ignores unknown fields", () => {
    expect(parseBudgetMessage('{"rateLimited":"1e4"}')).toBeUndefined();
    expect(parseBudgetMessage('{"rateLimited":true}')).toBeUndefined();
    expect(parseBudgetMessage("[1]")).toBeUndefined();
    expect(parseBudgetMessage(`{"rateLimited":1,"pad":"${"x".repeat(2000)}"}`)).toBeUndefined();
    expect(parseBudgetMessage('{"rateLimited":1e9}')).toEqual({ retryAfterMs: undefined });
    expect(parseBudgetMessage('{"rateLimited":500,"future":{"a":1}}')).toEqual({ retryAfterMs: 500 });
    expect(parseBudgetMessage('{"__proto__":{"rateLimited":5}}')).toBeUndefined();
  });
});

describe("a hostile publisher on the budget's channel", () => {
  it("cannot make calls hang with a Retry-After of the wrong type", async () => {
    const token = "redis-messages-token";
    const prefix = `messages-${Date.now()}`;
    const astro = createAstroClient({
      token,
      baseUrl: server.url,
      maxRetries: 0,
      throttle: { limits: { get: 5 }, redis: { url: redis.url }, prefix },
    });
    const get = () => astro.GET("/users/self");
    await get(); // connected and subscribed
    const channel = `b_${prefix}:${tokenHash(token)}:get`;
    for (const text of ['{"rateLimited":"1e4"}', '{"rateLimited":"60000"}', '{"rateLimited":[1]}']) {
      expect(await publisher.publish(channel, `message:${text}`)).toBeGreaterThan(0);
    }
    // A PING on the same connection answers after the messages were delivered to the subscribers.
    await publisher.ping();
    const outcome = await Promise.race([
      get().then(() => "answered"),
      new Promise((resolve) => setTimeout(resolve, 5000, "still waiting after 5 s")),
    ]);
    expect(outcome).toBe("answered");
    await astro.close();
  });
});
