/**
 * Whatever a party with write access to Redis puts in a budget's shared terms (declarations, the
 * 429 cut state, Bottleneck's maxConcurrent), the script behind `SharedTerms`, run on a real
 * redis-server, never raises a limit above this process's own, never drops it below one unit, and
 * always answers.
 */
import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DECLARATION_TTL_MS, SharedTerms, type OwnTerms } from "../../../src/throttle/redis/shared-terms.js";
import { runs } from "../../helpers/depth.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";

let redis: RedisServer;
let client: Redis;
let budgets = 0;

beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

const OWN: Omit<OwnTerms, "limit"> = { windowMs: 1005, maxWindowMs: 14_000, keyTtlMs: 60_000 };

/** Redis' clock, in ms (the script's). */
async function redisNow(): Promise<number> {
  const [seconds, micros] = await client.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** A fresh budget whose Bottleneck settings exist with nothing running. */
async function budget(limit: number, maxConcurrent = 1000) {
  const id = `hostile:${++budgets}`;
  await client.hset(`b_${id}_settings`, { maxConcurrent, running: 0 });
  const shared = new SharedTerms(client, id, `own-${budgets}`, { ...OWN, limit }, 2000);
  return { id, shared, terms: `${id}:terms` };
}

const numberText = fc.oneof(
  fc.constantFrom("nan", "-nan", "inf", "-inf", "1e400", "-1e400", "0", "-1", "0x10", " 7", "", "1.5"),
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
);
/** Field names the script reads, and others. */
const field = fc.oneof(
  fc.constantFrom("floor", "climbFrom", "lastCutAt"),
  fc.string({ maxLength: 12 }).map((name) => `d:${name}`),
  fc.string({ maxLength: 12 }),
);
/** Declarations (`<limit>:<window>:<expires>`) with any numbers, near-valid ones, and any text. */
const value = (now: number) =>
  fc.oneof(
    numberText,
    fc.string({ maxLength: 40 }),
    fc.tuple(numberText, numberText, numberText).map((parts) => parts.join(":")),
    fc
      .tuple(
        fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: -2, max: 40 })),
        fc.integer({ min: 0, max: 10 ** 6 }),
        fc.oneof(
          fc.integer({ min: 1, max: DECLARATION_TTL_MS }),
          fc.integer({ min: -2000, max: 3 * DECLARATION_TTL_MS }),
        ),
      )
      .map(([limit, windowMs, expiresIn]) => `${limit}:${windowMs}:${now + expiresIn}`),
  );

/** A 429 cut state, from plausible to absurd (`{}`: none). */
const cutState = (now: number) => {
  const date = fc.oneof(
    numberText,
    fc.integer({ min: -(10 ** 6), max: 10 ** 12 }).map((d) => String(now + d)),
  );
  return fc.oneof(
    fc.constant({}),
    fc.record({
      floor: fc.oneof(numberText, fc.integer({ min: -3, max: 40 }).map(String)),
      climbFrom: date,
      lastCutAt: date,
    }),
  );
};

describe("the shared terms of a budget, against hostile contents in Redis", () => {
  it("never exceed this process's limit, never fall below one unit, and always answer", async () => {
    const now = await redisNow();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc
          .tuple(fc.dictionary(field, value(now), { minKeys: 1, maxKeys: 8 }), cutState(now))
          .map(([fields, cut]) => ({ ...fields, ...cut })),
        fc.oneof(numberText, fc.constant("1000")),
        fc.double({ noNaN: false }),
        async (limit, hostile, maxConcurrent, pause) => {
          const { id, shared, terms } = await budget(limit);
          await client.hset(terms, hostile);
          await client.hset(`b_${id}_settings`, "maxConcurrent", maxConcurrent);
          for (const step of [() => shared.declare(), () => shared.cut(pause), () => shared.declare()]) {
            const allowed = await step();
            const { ceiling, windowMs } = shared.terms;
            expect(ceiling).toBeGreaterThanOrEqual(1);
            expect(ceiling).toBeLessThanOrEqual(limit);
            expect(windowMs).toBeGreaterThanOrEqual(OWN.windowMs);
            expect(windowMs).toBeLessThanOrEqual(OWN.maxWindowMs);
            // Nothing runs: a grant is always allowed, whatever was written.
            if (allowed !== undefined) expect(allowed).toBe(true);
            const written = Number(await client.hget(`b_${id}_settings`, "maxConcurrent"));
            expect(written).toBe(ceiling);
          }
        },
      ),
      { numRuns: runs(150) },
    );
  });

  it("take the strictest live declaration and the longest window (within the lease)", async () => {
    const now = await redisNow();
    const live = fc.record({
      limit: fc.integer({ min: 1, max: 40 }),
      windowMs: fc.integer({ min: 1, max: 30_000 }),
      // Live for the whole run (at most the TTL ahead, or the script takes it for a forgery).
      expiresIn: fc.integer({ min: DECLARATION_TTL_MS / 2, max: DECLARATION_TTL_MS - 500 }),
    });
    // Claiming to live longer than any refresh gives: a forgery, which constrains nothing.
    const forged = fc.record({
      limit: fc.integer({ min: 1, max: 40 }),
      windowMs: fc.integer({ min: 1, max: 30_000 }),
      expiresIn: fc.integer({ min: DECLARATION_TTL_MS + 1000, max: 10 ** 12 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.array(live, { maxLength: 5 }),
        fc.array(forged, { maxLength: 3 }),
        async (limit, others, forgeries) => {
          const { shared, terms } = await budget(limit);
          const base = await redisNow();
          for (const [i, other] of [...others, ...forgeries].entries()) {
            await client.hset(
              terms,
              `d:other-${i}`,
              `${other.limit}:${other.windowMs}:${base + other.expiresIn}`,
            );
          }
          expect(await shared.declare()).toBe(true);
          expect(shared.terms.ceiling).toBe(Math.min(limit, ...others.map((other) => other.limit)));
          expect(shared.terms.windowMs).toBe(
            Math.max(OWN.windowMs, ...others.map((other) => Math.min(other.windowMs, OWN.maxWindowMs))),
          );
        },
      ),
      { numRuns: runs(60) },
    );
    expect(await redisNow()).toBeGreaterThanOrEqual(now);
  });

  it("stop constraining once a declaration expires (a process that died), or when it leaves", async () => {
    const { shared, terms } = await budget(25);
    const strict = new SharedTerms(
      client,
      terms.replace(/:terms$/, ""),
      "strict",
      { ...OWN, limit: 10 },
      2000,
    );
    await strict.declare();
    await client.hset(terms, "d:dead", `3:1005:${(await redisNow()) + 300}`);
    await shared.declare();
    expect(shared.terms.ceiling).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await shared.declare();
    expect(shared.terms.ceiling, "the dead process's declaration expired").toBe(10);
    expect(await client.hexists(terms, "d:dead")).toBe(0);
    await strict.leave();
    await shared.declare();
    expect(shared.terms.ceiling, "the strict process left").toBe(25);
  });
});
