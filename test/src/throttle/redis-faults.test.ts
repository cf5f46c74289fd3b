/**
 * Faults of the Redis behind `throttle.redis`, with a real redis-server, a real recording HTTP
 * server and the real client: unreachable at the first call, killed mid-run and restarted, and a
 * password that must never show.
 */
import { Redis } from "ioredis";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAstroClient,
  type AstroClient,
  type AstroClientOptions,
  type AstroEvent,
} from "../../../src/v1beta1/index.js";
import { AstroRedisError } from "../../../src/throttle/redis/error.js";
import { json, rejection } from "../../helpers/client.js";
import { startRecordingServer, type RecordingServer } from "../../helpers/recording-server.js";
import { freePort, startRedisServer, until, type RedisServer } from "../../helpers/redis-server.js";
import { maxInWindow } from "../../helpers/windows.js";
import { takeWarnings, type RecordedWarning } from "../../helpers/warnings.js";

const PASSWORD = "pw-7Hq2-9Zx4";
/** Kill, restart and reconnect take longer on a loaded machine: a generous bound, not a timing claim. */
const FAULT_TIMEOUT_MS = 60_000;
let server: RecordingServer;
let prefixes = 0;

beforeAll(async () => {
  server = await startRecordingServer((_, res) => json(res, 200, {}));
});
afterAll(() => server?.close());

/** What a client reported through its logger and onEvent. */
interface Reports {
  logs: Array<{ level: string; message: string; details: unknown }>;
  events: AstroEvent[];
  /** All of it as text, to search for secrets. */
  text(): string;
}

function client(redis: NonNullable<AstroClientOptions["throttle"]> & object): {
  astro: AstroClient;
  reports: Reports;
} {
  const logs: Reports["logs"] = [];
  const events: AstroEvent[] = [];
  const log = (level: string) => (details: unknown, message: string) =>
    logs.push({ level, message, details });
  const astro = createAstroClient({
    token: "faults-token",
    urls: { platform: server.url, iam: server.url },
    maxRetries: 0,
    throttle: { prefix: `faults-${++prefixes}`, ...redis },
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    onEvent: (event) => events.push(event),
  });
  return { astro, reports: { logs, events, text: () => inspect({ logs, events }, { depth: 10 }) } };
}

const get = (astro: AstroClient) =>
  astro.platform.GET("/organizations/{organizationId}/clusters", {
    params: { path: { organizationId: "o" } },
  });

/** Every surface an error could leak a secret through, as text. */
function surfaces(error: Error): string {
  return [
    error.message,
    error.stack,
    JSON.stringify(error),
    inspect(error, { depth: 10, showHidden: true }),
  ].join("\n");
}

/** Settles every call, recording when; fails the test if one is still pending after `limitMs`. */
async function settleAll<T>(
  calls: Promise<T>[],
  limitMs: number,
): Promise<Array<PromiseSettledResult<T> & { at: number }>> {
  const start = performance.now();
  const timed = calls.map((call) =>
    call.then(
      (value) => ({ status: "fulfilled" as const, value, at: performance.now() - start }),
      (reason: unknown) => ({ status: "rejected" as const, reason, at: performance.now() - start }),
    ),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a call was still pending after ${limitMs} ms`)), limitMs);
  });
  try {
    return await Promise.race([Promise.all(timed), hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe("Redis unreachable at the first call", () => {
  it('rejects with an AstroRedisError naming throttle.redis and the URL without its password (onRedisError: "throw")', async () => {
    const port = await freePort();
    const { astro, reports } = client({
      redis: { url: `redis://:${PASSWORD}@127.0.0.1:${port}`, timeoutMs: 500 },
    });
    const before = server.received.length;
    const started = performance.now();
    const error = await rejection(get(astro));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(AstroRedisError);
    expect(error.message).toContain(
      `throttle.redis: could not connect to redis://:***@127.0.0.1:${port} within 500 ms`,
    );
    expect(error.message).toContain("ECONNREFUSED");
    expect((error as AstroRedisError).url).toBe(`redis://:***@127.0.0.1:${port}`);
    expect(server.received.length).toBe(before);
    // A later call tries again, and says the same.
    expect((await rejection(get(astro))).message).toContain("could not connect to");
    expect(surfaces(error)).not.toContain(PASSWORD);
    expect(reports.text()).not.toContain(PASSWORD);
    await astro.close();
  });

  it('warns through the logger and sends through the in-process limiter (onRedisError: "local")', async () => {
    const port = await freePort();
    const { astro, reports } = client({
      redis: { url: `redis://:${PASSWORD}@127.0.0.1:${port}`, timeoutMs: 500 },
      onRedisError: "local",
    });
    const before = server.received.length;
    const results = await settleAll(
      Array.from({ length: 30 }, () => get(astro)),
      10_000,
    );
    expect(results.every((result) => result.status === "fulfilled")).toBe(true);
    const sent = server.received.slice(before).map((request) => request.startedAt);
    expect(sent).toHaveLength(30);
    expect(maxInWindow(sent)).toBeLessThanOrEqual(25);
    const warnings = reports.logs.filter((log) => log.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain(`throttle.redis redis://:***@127.0.0.1:${port} cannot be used`);
    expect(warnings[0]!.message).toContain("falling back to the in-process limiter");
    expect(reports.text()).not.toContain(PASSWORD);
    await astro.close();
  });

  it("warns through process.emitWarning when the client has no logger", async () => {
    const port = await freePort();
    const astro = createAstroClient({
      token: "faults-token",
      urls: { platform: server.url, iam: server.url },
      throttle: {
        redis: { url: `redis://:${PASSWORD}@127.0.0.1:${port}`, timeoutMs: 300 },
        onRedisError: "local",
      },
    });
    await get(astro);
    const warnings: RecordedWarning[] = [];
    await until(() => warnings.push(...takeWarnings({ code: "ASTRO_REDIS_FALLBACK" })) > 0, 2000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain("falling back to the in-process limiter");
    expect(warnings[0]!.message).not.toContain(PASSWORD);
    await astro.close();
  });
});

describe("Redis dies mid-run", () => {
  let redis: RedisServer;
  let admin: Redis;
  beforeAll(async () => {
    redis = await startRedisServer();
    admin = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    admin.on("error", () => undefined);
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });

  /** Fires a burst, kills Redis once some calls went out, and settles the rest. */
  async function killDuringBurst(astro: AstroClient, count: number) {
    const before = server.received.length;
    const calls = Array.from({ length: count }, () => get(astro));
    await until(() => server.received.length - before >= 10);
    await redis.kill();
    return settleAll(calls, 15_000);
  }

  it(
    "throw: every pending call settles — sent, or rejected with a clear AstroRedisError — and once Redis is back, new calls use it",
    async () => {
      const timeoutMs = 1000;
      const { astro } = client({ redis: { url: redis.url, timeoutMs }, prefix: "dies-throw" });
      const results = await killDuringBurst(astro, 80);
      const rejected = results.filter((result) => result.status === "rejected");
      expect(rejected.length).toBeGreaterThan(0);
      expect(results.length - rejected.length).toBeGreaterThanOrEqual(10);
      for (const result of rejected) {
        expect(result.reason).toBeInstanceOf(AstroRedisError);
        expect((result.reason as Error).message).toMatch(
          new RegExp(
            `^throttle\\.redis: lost the connection to redis://127\\.0\\.0\\.1:${redis.port}.*the request was not sent`,
          ),
        );
      }
      // Within the wait it was given (`timeoutMs`), with room for a loaded machine.
      expect(Math.max(...results.map((result) => result.at))).toBeLessThan(timeoutMs + 4000);

      await redis.restart();
      await until(
        async () =>
          await get(astro).then(
            () => true,
            () => false,
          ),
      );
      const results2 = await settleAll(
        Array.from({ length: 30 }, () => get(astro)),
        15_000,
      );
      expect(results2.every((result) => result.status === "fulfilled")).toBe(true);
      // The budget lives in the new Redis again.
      await admin.connect().catch(() => undefined);
      expect(await admin.keys("b_dies-throw:*")).toEqual(
        expect.arrayContaining([expect.stringMatching(/^b_dies-throw:[0-9a-f]{16}:get_settings$/)]),
      );
      admin.disconnect();
      await astro.close();
    },
    FAULT_TIMEOUT_MS,
  );

  it(
    "local: pending calls complete through the in-process limiter with a warning; once Redis is back, it says so and new calls use it",
    async () => {
      const { astro, reports } = client({
        redis: { url: redis.url, timeoutMs: 1000 },
        prefix: "dies-local",
        onRedisError: "local",
      });
      const results = await killDuringBurst(astro, 80);
      expect(results.every((result) => result.status === "fulfilled")).toBe(true);
      expect(reports.logs.filter((log) => log.level === "warn").map((log) => log.message)).toEqual([
        expect.stringContaining(
          `throttle.redis redis://127.0.0.1:${redis.port} cannot be used (the connection was closed)`,
        ),
      ]);

      await redis.restart();
      await until(() => reports.logs.some((log) => log.level === "info" && log.message.includes("is back")));
      await settleAll(
        Array.from({ length: 5 }, () => get(astro)),
        10_000,
      );
      await admin.connect().catch(() => undefined);
      expect(await admin.keys("b_dies-local:*")).toEqual(
        expect.arrayContaining([expect.stringMatching(/get_settings$/)]),
      );
      admin.disconnect();
      await astro.close();
    },
    FAULT_TIMEOUT_MS,
  );
});

describe("a Redis with a password", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer({ password: PASSWORD });
  });
  afterAll(() => redis?.stop());

  it(
    "works with the right one, and never shows it (nor a wrong one) in errors, logs or events",
    async () => {
      const wrong = "wrong-Pw-3141";
      const refused = client({
        redis: { url: `redis://:${wrong}@127.0.0.1:${redis.port}`, timeoutMs: 1000 },
      });
      const error = await rejection(get(refused.astro));
      expect(error).toBeInstanceOf(AstroRedisError);
      expect(error.message).toMatch(/WRONGPASS|invalid password|NOAUTH/i);
      expect(surfaces(error)).not.toContain(wrong);
      expect(refused.reports.text()).not.toContain(wrong);
      await refused.astro.close();

      const { astro, reports } = client({
        redis: { url: redis.url, timeoutMs: 1000 },
        prefix: "with-password",
      });
      expect(redis.url).toContain(PASSWORD);
      const before = server.received.length;
      const calls = Array.from({ length: 60 }, () => get(astro));
      await until(() => server.received.length - before >= 5);
      await redis.kill();
      const results = await settleAll(calls, 15_000);
      const errors = results.flatMap((result) =>
        result.status === "rejected" ? [result.reason as Error] : [],
      );
      expect(errors.length).toBeGreaterThan(0);
      for (const failure of errors) {
        expect(failure.message).toContain(`redis://:***@127.0.0.1:${redis.port}`);
        expect(surfaces(failure)).not.toContain(PASSWORD);
      }
      expect(reports.text()).not.toContain(PASSWORD);
      await astro.close();
    },
    FAULT_TIMEOUT_MS,
  );
});
