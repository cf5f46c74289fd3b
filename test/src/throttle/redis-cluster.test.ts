/**
 * Several Node processes (test/fixtures/redis-worker.ts under tsx) sharing one token's budgets
 * through a real redis-server, measured at a real recording HTTP server: for each method class, no
 * more than the limit of requests start in any sliding 1,000 ms window of the merged timeline.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type MethodClass } from "../../../src/throttle/limits.js";
import { json } from "../../helpers/client.js";
import { startRecordingServer, type RecordingServer } from "../../helpers/recording-server.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";
import { maxInWindow } from "../../helpers/windows.js";
import { runWorker, startWorker } from "../../fixtures/redis-workers.js";
import type { Burst, WorkerLine, WorkerPlan } from "../../fixtures/redis-worker.js";

let redis: RedisServer;
let server: RecordingServer;
let admin: Redis;

beforeAll(async () => {
  [redis, server] = await Promise.all([
    startRedisServer(),
    // A few milliseconds of latency, as a real server has.
    startRecordingServer((_, res) => setTimeout(() => json(res, 200, {}), 3)),
  ]);
  admin = new Redis(redis.url);
});
afterAll(async () => {
  admin?.disconnect();
  await Promise.all([redis?.stop(), server?.close()]);
});

const METHOD: Record<MethodClass, string> = { get: "GET", post: "POST", delete: "DELETE" };

function plan(
  name: string,
  prefix: string,
  steps: WorkerPlan["steps"],
  redisOptions: WorkerPlan["redis"] = {},
): WorkerPlan {
  return {
    name,
    token: "shared-token",
    prefix,
    serverUrl: server.url,
    redis: { url: redis.url, ...redisOptions },
    steps,
  };
}

/** Start times of a class's requests from the workers named `<group>-…`, or from one worker. */
function starts(cls: MethodClass, group: string, worker?: string): number[] {
  return server.received
    .filter((r) => r.method === METHOD[cls])
    .filter((r) => {
      const name = String(r.headers["user-agent"]).split(" ")[0]!;
      return worker === undefined ? name.startsWith(`${group}-`) : name === worker;
    })
    .map((r) => r.startedAt);
}

function expectWithinLimits(group: string, burst: Burst, processes: number): void {
  for (const cls of Object.keys(burst) as MethodClass[]) {
    const times = starts(cls, group);
    expect(times, `${METHOD[cls]} requests received`).toHaveLength(burst[cls]! * processes);
    expect(maxInWindow(times), `most ${METHOD[cls]} starts in one 1,000 ms window`).toBeLessThanOrEqual(
      DEFAULT_LIMITS[cls],
    );
  }
}

const burstsOf = (lines: WorkerLine[]) => lines.filter((line) => line.type === "burst");

/** Worker processes start slowly on a loaded machine: a generous bound, not a timing claim. */
const SCENARIO_TIMEOUT_MS = 120_000;

// Independent scenarios (own prefix, own worker names): run side by side to keep the file quick.
describe.concurrent("processes sharing a token through Redis", () => {
  it(
    "keep every class within its limit in every sliding 1,000 ms window of the merged timeline",
    async () => {
      const burst = { get: 40, post: 16, delete: 8 };
      const results = await Promise.all(
        [1, 2, 3].map((i) => runWorker(plan(`share-${i}`, "share", [{ burst }]))),
      );
      for (const lines of results) {
        expect(burstsOf(lines)).toEqual([expect.objectContaining({ ok: 64, failed: 0 })]);
      }
      expectWithinLimits("share", burst, 3);
      // Each process alone could have sent its whole burst of 40 GETs within ~1.5 s; shared, the
      // 120 need at least four more windows after the first 25.
      const get = starts("get", "share").sort((a, b) => a - b);
      expect(get.at(-1)! - get[0]!).toBeGreaterThan(3 * 1000);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "keep holding after idling longer than the keys' lifetime: the keys expire, the next burst re-creates them",
    async () => {
      const keyTtlMs = 3000;
      const options = { keyTtlMs, reclaimAfterMs: keyTtlMs };
      const burst = { get: 20, post: 8, delete: 4 };
      const steps = [{ burst }, { sleepMs: keyTtlMs + 2000 }, { burst }];
      const workers = [1, 2, 3].map((i) => startWorker(plan(`idle-${i}`, "idle", steps, options)));
      await Promise.all(
        workers.map((worker) => worker.waitFor((line) => line.type === "burst" && line.step === 0)),
      );
      expect(await admin.keys("b_idle:*")).not.toHaveLength(0);
      // Idle: Bottleneck's keys expire (its heartbeat does not refresh them).
      const idleSince = Date.now();
      while ((await admin.keys("b_idle:*")).length > 0) {
        expect(Date.now() - idleSince, "keys still there").toBeLessThan(keyTtlMs + 2000);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(
        workers.some((worker) => burstsOf(worker.lines).length > 1),
        "a worker burst again before the keys expired",
      ).toBe(false);
      const exits = await Promise.all(workers.map((worker) => worker.exited));
      for (const [i, exit] of exits.entries()) {
        expect(exit.code, workers[i]!.stderr()).toBe(0);
        // Without the Redis 7 patch, the second burst rejects with ERR SETTINGS_KEY_NOT_FOUND.
        expect(burstsOf(exit.lines)).toEqual([
          expect.objectContaining({ step: 0, ok: 32, failed: 0 }),
          expect.objectContaining({ step: 2, ok: 32, failed: 0, errors: [] }),
        ]);
      }
      expect(await admin.keys("b_idle:*")).not.toHaveLength(0);
      expectWithinLimits("idle", { get: 40, post: 16, delete: 8 }, 3);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "keep holding when a process is killed mid-run and another starts; the killed one's units come back",
    async () => {
      const reclaimAfterMs = 3000;
      const options = { reclaimAfterMs };
      const survivors = [2, 3].map((i) =>
        startWorker(plan(`kill-${i}`, "kill", [{ burst: { get: 90 } }], options)),
      );
      const victim = startWorker(plan("kill-1", "kill", [{ burst: { get: 90 } }], options));
      await Promise.all(
        [...survivors, victim].map((worker) => worker.waitFor((line) => line.type === "ready")),
      );
      // Kill the victim once it is well into the run, holding units of the shared budget.
      const started = Date.now();
      while (starts("get", "kill", "kill-1").length < 20) {
        expect(Date.now() - started, "the victim never got going").toBeLessThan(30_000);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      victim.child.kill("SIGKILL");
      const killedAt = performance.timeOrigin + performance.now();
      await victim.exited;
      const heldAtKill = starts("get", "kill", "kill-1").filter((t) => t > killedAt - 1000).length;
      expect(heldAtKill, "units the victim held when it died").toBeGreaterThan(0);
      // A new process with the same token joins the run.
      const restarted = startWorker(plan("kill-4", "kill", [{ burst: { get: 30 } }], options));
      const results = await Promise.all([...survivors, restarted].map((worker) => worker.exited));
      for (const [i, result] of results.entries()) {
        expect(result.code, [...survivors, restarted][i]!.stderr()).toBe(0);
        expect(burstsOf(result.lines)).toEqual([expect.objectContaining({ failed: 0 })]);
      }
      const all = starts("get", "kill");
      expect(maxInWindow(all), "most GET starts in one window, the victim's included").toBeLessThanOrEqual(
        25,
      );
      // Redis reclaimed the victim's slots once their lease ran out (the survivors' heartbeats
      // expire them): with every live process closed, no slot of the budget is taken any more.
      // Without the lease they would stay taken for good, and the budget would stay smaller.
      expect(Math.max(...all) - killedAt, "the run outlived the victim's leases").toBeGreaterThan(
        reclaimAfterMs + 1500,
      );
      const settings = await admin.keys("b_kill:*:get_settings");
      expect(settings).toHaveLength(1);
      expect(await admin.hget(settings[0]!, "running"), "slots still taken").toBe("0");
      expect(await admin.hlen(settings[0]!.replace(/_settings$/, "_job_weights"))).toBe(0);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
