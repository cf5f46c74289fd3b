/**
 * The client's logger also hears the Redis throttle's notices (falling back to the in-process
 * limiter, Redis back). A logger that fails there — throws, returns a rejected promise, or is a
 * getter that throws — changes nothing: the throttle still falls back and comes back, no
 * exception escapes (the "back" notice runs from a timer, where a throw ends the process), and a
 * fallback warning the logger could not take goes to `process.emitWarning` instead.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAstroClient, type AstroClient, type AstroLogger } from "../../../src/v1beta1/index.js";
import { json } from "../../helpers/client.js";
import { startRecordingServer, type RecordingServer } from "../../helpers/recording-server.js";
import { freePort, startRedisServer, until } from "../../helpers/redis-server.js";
import { takeWarnings } from "../../helpers/warnings.js";

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer((_, res) => json(res, 200, {}));
});
afterAll(() => server?.close());

type Failure = "throws" | "rejects" | "getter throws";

/** A logger whose `failing` methods fail in one way (the others work); `heard` records the notices it was given. */
function failingLogger(
  failure: Failure,
  heard: string[],
  failing: readonly ("warn" | "info")[] = ["warn", "info"],
): AstroLogger {
  // Typed as loggers' methods are (returning nothing), though an async one returns a promise.
  const method =
    (level: string): AstroLogger["warn"] =>
    (_details: unknown, message: string) => {
      heard.push(`${level}: ${message}`);
      if (!failing.includes(level as "warn")) return;
      if (failure === "rejects") return Promise.reject(new Error(`logger ${level} down`));
      throw new Error(`logger ${level} down`);
    };
  if (failure !== "getter throws") return { warn: method("warn"), info: method("info") };
  const logger: AstroLogger = {};
  for (const level of ["warn", "info"] as const) {
    Object.defineProperty(logger, level, {
      get() {
        heard.push(level);
        throw new Error(`no ${level} today`);
      },
    });
  }
  return logger;
}

const get = (astro: AstroClient) =>
  astro.platform.GET("/organizations/{organizationId}/clusters", {
    params: { path: { organizationId: "o" } },
  });

/** Runs `body`, failing if anything was thrown or rejected without a handler meanwhile. */
async function withoutEscapes(body: () => Promise<void>): Promise<void> {
  const escaped: unknown[] = [];
  const record = (error: unknown) => escaped.push(error);
  process.on("uncaughtException", record);
  process.on("unhandledRejection", record);
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off("uncaughtException", record);
    process.off("unhandledRejection", record);
  }
  expect(escaped).toEqual([]);
}

describe("a logger failing on the Redis throttle's notices", () => {
  it.each<Failure>(["throws", "rejects", "getter throws"])(
    "%s on the fallback warning: calls go through the in-process limiter, the warning is not lost",
    async (failure) => {
      await withoutEscapes(async () => {
        const heard: string[] = [];
        const port = await freePort();
        const astro = createAstroClient({
          token: `redis-logger-${failure.replace(/ /g, "-")}`,
          urls: { platform: server.url, iam: server.url },
          maxRetries: 0,
          throttle: {
            redis: { url: `redis://127.0.0.1:${port}`, timeoutMs: 300 },
            onRedisError: "local",
            prefix: `redis-logger-${failure.replace(/ /g, "-")}`,
          },
          logger: failingLogger(failure, heard),
        });
        const results = await Promise.allSettled([get(astro), get(astro), get(astro)]);
        expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
        expect(heard.some((notice) => notice.startsWith("warn"))).toBe(true);
        await new Promise((resolve) => setImmediate(resolve));
        // A logger that threw did not take it: it went to the process's warnings instead.
        const warnings = takeWarnings({ code: "ASTRO_REDIS_FALLBACK" });
        expect(warnings.length).toBe(failure === "rejects" ? 0 : 1);
        for (const warning of warnings)
          expect(warning.message).toContain("falling back to the in-process limiter");
        await astro.close();
      });
    },
  );

  it("throws on the notice that Redis is back (from a timer): no uncaught exception, and calls use Redis again", async () => {
    const redis = await startRedisServer();
    const admin = new Redis(redis.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 100,
    });
    admin.on("error", () => undefined);
    try {
      await withoutEscapes(async () => {
        const heard: string[] = [];
        const astro = createAstroClient({
          token: "redis-logger-back",
          urls: { platform: server.url, iam: server.url },
          maxRetries: 0,
          throttle: {
            redis: { url: redis.url, timeoutMs: 1000 },
            onRedisError: "local",
            prefix: "redis-logger-back",
          },
          logger: failingLogger("throws", heard, ["info"]),
        });
        await get(astro);
        await redis.kill();
        await until(async () => {
          await get(astro);
          return heard.some((notice) => notice.startsWith("warn"));
        }, 20_000);
        await redis.restart();
        await until(
          () => heard.some((notice) => notice.startsWith("info") && notice.includes("is back")),
          20_000,
        );
        await get(astro);
        // The budget lives in the new Redis again: the notice that failed did not stop the comeback.
        await admin.connect().catch(() => undefined);
        await until(async () => (await admin.keys("b_redis-logger-back:*")).length > 0, 20_000);
        await astro.close();
      });
    } finally {
      admin.disconnect();
      await redis.stop();
    }
  }, 60_000);
});
