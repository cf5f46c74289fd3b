/**
 * Aggregate throughput of 3 processes sharing one token through Redis, per method class, at the
 * real limits (GET 25/s, POST 10/s, DELETE 5/s). Each process queues more than it may send for the
 * whole run, so the limiter alone sets the pace; the three classes run at the same time (separate
 * budgets). Starts are timed by a local recording server.
 *
 *   npx tsx bench/redis-throughput.ts [--seconds 12]
 *
 * Needs redis-server on PATH (Debian: apt-get install redis-server) and ioredis installed.
 */
import { DEFAULT_LIMITS, METHOD_CLASSES } from "../src/throttle/limits.js";
import { startRecordingServer } from "../test/helpers/recording-server.js";
import { startRedisServer } from "../test/helpers/redis-server.js";
import { maxInWindow } from "../test/helpers/windows.js";
import { startWorker } from "../test/fixtures/redis-workers.js";

const PROCESSES = 3;
const arg = process.argv.indexOf("--seconds");
const SECONDS = arg > 0 ? Number(process.argv[arg + 1]) : 12;
/** The first window is a burst of `limit` at once: measure the steady state after it. */
const SKIP_MS = 1000;

/**
 * Starts per second as the least-squares slope of start index over time. Sliding-window starts
 * come in bursts (each unit returns about a window after its request), so counting the starts in
 * a fixed interval over- or under-counts by up to one burst; the slope does not.
 */
function rate(times: readonly number[]): number {
  const n = times.length;
  const meanT = times.reduce((sum, t) => sum + t, 0) / n;
  const meanI = (n - 1) / 2;
  let cov = 0;
  let variance = 0;
  for (const [i, t] of times.entries()) {
    cov += (t - meanT) * (i - meanI);
    variance += (t - meanT) ** 2;
  }
  return (cov / variance) * 1000;
}

const redis = await startRedisServer();
const server = await startRecordingServer((_, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end("{}");
});
try {
  // Start the processes, let each connect and warm up, then release them together.
  const startAt = Date.now() + 8000;
  const prefix = `bench-${startAt}`;
  const burst = Object.fromEntries(
    METHOD_CLASSES.map((cls) => [cls, Math.ceil((DEFAULT_LIMITS[cls] * (SECONDS + 3)) / PROCESSES)]),
  );
  const workers = Array.from({ length: PROCESSES }, (_, i) =>
    startWorker({
      name: `bench-${i + 1}`,
      token: "bench-token",
      serverUrl: server.url,
      redis: { url: redis.url },
      prefix,
      steps: [{ burst: { get: 1, post: 1, delete: 1 } }, { untilEpochMs: startAt }, { burst }],
    }),
  );
  const exits = await Promise.all(workers.map((worker) => worker.exited));
  for (const [i, exit] of exits.entries()) {
    if (exit.code !== 0) throw new Error(`worker ${i + 1} failed:\n${workers[i]!.stderr()}`);
  }

  const rows: string[] = [];
  let worstRatio = Infinity;
  let violations = 0;
  for (const cls of METHOD_CLASSES) {
    const limit = DEFAULT_LIMITS[cls];
    const method = cls.toUpperCase();
    const times = server.received
      .filter((r) => r.method === method && r.startedAt >= startAt - 50)
      .map((r) => r.startedAt)
      .sort((a, b) => a - b);
    const first = times[0]!;
    const from = first + SKIP_MS;
    const to = from + SECONDS * 1000;
    const measured = times.filter((t) => t >= from && t < to);
    const perSecond = rate(measured);
    const worst = maxInWindow(times);
    const perProcess = workers.map(
      (_, i) =>
        server.received.filter(
          (r) =>
            r.method === method &&
            r.startedAt >= from &&
            r.startedAt < to &&
            String(r.headers["user-agent"]).startsWith(`bench-${i + 1} `),
        ).length,
    );
    if (times.at(-1)! < to) throw new Error(`${method}: the queue ran dry before the end of the measure`);
    worstRatio = Math.min(worstRatio, perSecond / limit);
    if (worst > limit) violations += 1;
    rows.push(
      `| ${method} | ${limit}/s | ${measured.length} | ${perSecond.toFixed(2)}/s | ${((perSecond / limit) * 100).toFixed(1)}% | ${worst} | ${perProcess.join(" / ")} |`,
    );
  }
  console.log(
    `\n${PROCESSES} processes, one token, shared through Redis; steady state over ${SECONDS} s per class (after the first window)\n`,
  );
  console.log(
    "| class | limit | starts measured | aggregate | of limit | most starts in any 1,000 ms | per process |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const row of rows) console.log(row);
  console.log(
    `\nworst ratio ${(worstRatio * 100).toFixed(1)}% (goal ≥ 95%), classes over their limit: ${violations}`,
  );
  process.exitCode = violations > 0 || worstRatio < 0.95 ? 1 : 0;
} finally {
  await Promise.all([redis.stop(), server.close()]);
}
