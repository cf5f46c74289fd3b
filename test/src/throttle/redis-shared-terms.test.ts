/**
 * Terms shared through a real redis-server by processes with differing limits: the strictest live
 * limit holds for all of them, it relaxes once the strict process leaves, and a 429 seen by one
 * process lowers what all of them together may send. Measured at a real recording server.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAstroClient, type AstroClient } from "../../../src/v1beta1/index.js";
import { json } from "../../helpers/client.js";
import { startRecordingServer, type RecordingServer } from "../../helpers/recording-server.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";
import { maxInWindow } from "../../helpers/windows.js";
import { startWorker } from "../../fixtures/redis-workers.js";
import type { WorkerLine, WorkerPlan } from "../../fixtures/redis-worker.js";

let redis: RedisServer;
let server: RecordingServer;
let admin: Redis;
/** The request of `cut-a` that is answered 429 (its sixth GET). */
const CUT_AT = 6;
let cutSeen = 0;

beforeAll(async () => {
  [redis, server] = await Promise.all([
    startRedisServer(),
    startRecordingServer((request, res) => {
      if (String(request.headers["user-agent"]).startsWith("cut-a ") && ++cutSeen === CUT_AT) {
        return json(res, 429, { message: "slow down" });
      }
      setTimeout(() => json(res, 200, {}), 3);
    }),
  ]);
  admin = new Redis(redis.url);
});
afterAll(async () => {
  admin?.disconnect();
  await Promise.all([redis?.stop(), server?.close()]);
});

/** Start times of the GETs sent by workers or clients whose User-Agent starts with `name`. */
function starts(name: string, from = -Infinity): number[] {
  return server.received
    .filter((r) => r.method === "GET" && String(r.headers["user-agent"]).startsWith(name))
    .map((r) => r.startedAt)
    .filter((t) => t >= from);
}

const isBurst = (step: number) => (line: WorkerLine) => line.type === "burst" && line.step === step;

/** Worker processes start slowly on a loaded machine: a generous bound, not a timing claim. */
const SCENARIO_TIMEOUT_MS = 120_000;

describe.concurrent("processes with differing limits sharing a token through Redis", () => {
  it(
    "converge on the strictest live limit, and relax once the strict process has left",
    async () => {
      const plan = (name: string, get: number, steps: WorkerPlan["steps"]): WorkerPlan => ({
        name,
        token: "terms-token",
        prefix: "strictest",
        serverUrl: server.url,
        redis: { url: redis.url },
        limits: { get },
        steps,
      });
      // The lax process creates the budget in Redis (Bottleneck's settings then say 25); the strict
      // one joins. One GET each first: both have declared their limit before the bursts start.
      const lax = startWorker(
        plan("lax-25", 25, [
          { burst: { get: 1 } },
          { go: true },
          { burst: { get: 15 } },
          { go: true },
          { burst: { get: 40 } },
        ]),
      );
      await lax.waitFor(isBurst(0));
      const strict = startWorker(
        plan("strict-10", 10, [{ burst: { get: 1 } }, { go: true }, { burst: { get: 15 } }]),
      );
      await strict.waitFor(isBurst(0));
      strict.go();
      lax.go();
      const strictExit = await strict.exited;
      expect(strictExit.code, strict.stderr()).toBe(0);
      await lax.waitFor(isBurst(2));
      const relaxedFrom = performance.timeOrigin + performance.now();
      lax.go();
      const laxExit = await lax.exited;
      expect(laxExit.code, lax.stderr()).toBe(0);
      for (const [exit, ok] of [
        [strictExit, [1, 15]],
        [laxExit, [1, 15, 40]],
      ] as const) {
        expect(
          exit.lines.filter((line) => line.type === "burst").map((line) => line.type === "burst" && line.ok),
        ).toEqual(ok);
      }
      const together = [...starts("strict-10"), ...starts("lax-25")].filter((t) => t < relaxedFrom);
      expect(together).toHaveLength(32);
      expect(maxInWindow(together), "most GETs in one window while both were there").toBeLessThanOrEqual(10);
      const alone = starts("lax-25", relaxedFrom);
      expect(alone).toHaveLength(40);
      const most = maxInWindow(alone);
      expect(most, "most GETs of the lax process alone in one window").toBeGreaterThan(10);
      expect(most).toBeLessThanOrEqual(25);
      // Each process took its declaration with it when it closed.
      const terms = await admin.keys("strictest:*:terms");
      const fields = await Promise.all(terms.map(async (key) => Object.keys(await admin.hgetall(key))));
      expect(fields.flat().filter((field) => field.startsWith("d:"))).toEqual([]);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "share a 429's cut: after one client's 429, all clients together stay under the cut ceiling",
    async () => {
      // Two clients with their own connections (as two processes), the published GET limit 25.
      const client = (name: string): AstroClient =>
        createAstroClient({
          token: "cut-token",
          urls: { platform: server.url, iam: server.url },
          userAgent: name,
          maxRetries: 0,
          throttle: { redis: { url: redis.url }, prefix: "cut" },
        });
      const clients = [client("cut-a"), client("cut-b")];
      try {
        const results = await Promise.allSettled(
          clients.flatMap((astro) =>
            Array.from({ length: 45 }, () =>
              astro.platform.GET("/organizations/{organizationId}/clusters", {
                params: { path: { organizationId: "o" } },
              }),
            ),
          ),
        );
        expect(results.filter((result) => result.status === "rejected")).toHaveLength(1);
      } finally {
        await Promise.all(clients.map((astro) => astro.close()));
      }
      const cutAt = starts("cut-a")[CUT_AT - 1]!;
      // Requests granted before the cut hold their slots about a window; from then on at most
      // floor(25 × 0.7) = 17 slots, + 1 per window since: ≤ 19 by two windows after the 429.
      // Without the shared cut, each process cuts only its own ceiling and together they keep 25.
      const after = starts("cut-").filter((t) => t >= cutAt + 1300 && t < cutAt + 3000);
      expect(
        after.length,
        "GETs sent in the windows after the 429 (the clients still had calls to send)",
      ).toBeGreaterThan(10);
      expect(maxInWindow(after), "most GETs of both clients in one window after the 429").toBeLessThanOrEqual(
        20,
      );
    },
    SCENARIO_TIMEOUT_MS,
  );
});
