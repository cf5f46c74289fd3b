/**
 * Overhead per call: sequential GETs to a local keep-alive node:http server (in another process),
 * through bare `fetch`, bare openapi-fetch, the SDK with throttling off and on (limits far above
 * the rate reached), and the pieces that explain the difference: the SDK's throttle alone
 * (`Throttle.run` with an empty attempt), and, for the record of why the in-process limiter no
 * longer uses it, a bare Bottleneck `schedule` and a `setTimeout(0)` turn.
 *
 *   npx tsx bench/overhead.ts
 */
import Bottleneck from "bottleneck";
import createClient from "openapi-fetch";
import { Bench } from "tinybench";
import type { paths as PlatformPaths } from "../generated/platform.js";
import { createAstroClient } from "../src/v1beta1/index.js";
import { Throttle } from "../src/throttle/throttle.js";
import { isMain, median, runSection } from "./lib/section.js";
import { startBenchServer } from "./lib/server.js";

export interface TaskStats {
  name: string;
  /** Calls measured. */
  samples: number;
  /** The median of the rounds' medians (and so for p99 and mean). */
  medianUs: number;
  p99Us: number;
  meanUs: number;
}

export interface OverheadResult {
  tasks: Record<string, TaskStats>;
  /** Time spent on each task, over all rounds. */
  timePerTaskMs: number;
  rounds: number;
}

const ROUNDS = 3;

/** Limits no run comes near: the throttle is on, but never makes a call wait. */
const FAR_ABOVE = { get: 1_000_000, post: 1_000_000, delete: 1_000_000 };

export async function measureOverhead(timePerTaskMs = 4500): Promise<OverheadResult> {
  const server = await startBenchServer();
  try {
    const url = `${server.url}/organizations`;
    const openapi = createClient<PlatformPaths>({ baseUrl: server.url });
    const urls = { platform: server.url, iam: server.url };
    const sdkOff = createAstroClient({ token: "bench-token", urls, throttle: false });
    const sdkOn = createAstroClient({ token: "bench-token", urls, throttle: { limits: FAR_ABOVE } });
    // Until 0.x the in-process limiter was Bottleneck with these options.
    const bottleneck = new Bottleneck({ reservoir: FAR_ABOVE.get, maxConcurrent: null, minTime: 0 });
    const bottleneckIdle = new Bottleneck({ reservoir: FAR_ABOVE.get, maxConcurrent: null, minTime: 0 });
    // The SDK's throttle on its own, as src/transport/attempt.ts drives it (a ticket answered when headers arrive).
    const throttle = new Throttle({ limits: FAR_ABOVE }, {});
    const throttleIdle = new Throttle({ limits: FAR_ABOVE }, {});
    // The kinds of work src/transport/ does around fetch, added step by step on bare openapi-fetch (throttle off).
    const reissued = createClient<PlatformPaths>({
      baseUrl: server.url,
      fetch: (request) =>
        fetch(request.url, { method: request.method, headers: new Headers(request.headers) }),
    });
    const withSignals = createClient<PlatformPaths>({
      baseUrl: server.url,
      fetch: (request) =>
        fetch(request.url, {
          method: request.method,
          headers: new Headers(request.headers),
          signal: AbortSignal.any([request.signal, AbortSignal.timeout(60_000)]),
        }),
    });
    const rebuilt = createClient<PlatformPaths>({
      baseUrl: server.url,
      fetch: async (request) => {
        const response = await fetch(request.url, {
          method: request.method,
          headers: new Headers(request.headers),
          signal: AbortSignal.any([request.signal, AbortSignal.timeout(60_000)]),
        });
        const text = await response.text();
        return new Response(text, { status: response.status, headers: response.headers });
      },
    });

    const tasks: [string, () => Promise<unknown>][] = [
      ["setTimeout(0)", () => new Promise<void>((resolve) => setTimeout(resolve, 0))],
      ["Bottleneck schedule, empty task", () => bottleneckIdle.schedule(() => Promise.resolve())],
      [
        "throttle.run, empty attempt",
        () =>
          throttleIdle.run("0000000000000000", "get", (ticket) => {
            ticket.answered();
            return Promise.resolve();
          }),
      ],
      ["fetch", async (): Promise<unknown> => (await fetch(url)).json()],
      ["openapi-fetch", () => openapi.GET("/organizations")],
      ["openapi-fetch, fetch(url, init) re-issued", () => reissued.GET("/organizations")],
      ["… + AbortSignal.timeout + AbortSignal.any", () => withSignals.GET("/organizations")],
      ["… + body read as text, new Response", () => rebuilt.GET("/organizations")],
      ["SDK, throttle off", () => sdkOff.platform.GET("/organizations")],
      ["openapi-fetch + Bottleneck schedule", () => bottleneck.schedule(() => openapi.GET("/organizations"))],
      ["SDK, throttle on", () => sdkOn.platform.GET("/organizations")],
      [
        "openapi-fetch + throttle.run",
        () =>
          throttle.run("1111111111111111", "get", async (ticket) => {
            const result = await openapi.GET("/organizations");
            ticket.answered();
            return result;
          }),
      ],
    ];

    // Warm the server and the connection pool up before anything is timed.
    for (let i = 0; i < 300; i++) await openapi.GET("/organizations");

    // Several short rounds of every task rather than one long run of each, so that a change in
    // the machine's load while the benchmark runs weighs on every task alike.
    const rounds: Record<string, TaskStats[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const bench = new Bench({
        time: timePerTaskMs / ROUNDS,
        iterations: 50,
        warmupTime: 100,
        warmupIterations: 10,
        throws: true,
      });
      for (const [name, fn] of tasks) bench.add(name, fn);
      await bench.run();
      for (const task of bench.tasks) {
        const result = task.result;
        if (result.state !== "completed") throw new Error(`${task.name}: ${result.state}`);
        (rounds[task.name] ??= []).push({
          name: task.name,
          samples: result.latency.samplesCount,
          medianUs: result.latency.p50 * 1000,
          p99Us: result.latency.p99 * 1000,
          meanUs: result.latency.mean * 1000,
        });
      }
    }
    const results: Record<string, TaskStats> = {};
    for (const [name, runs] of Object.entries(rounds)) {
      results[name] = {
        name,
        samples: runs.reduce((sum, run) => sum + run.samples, 0),
        medianUs: median(runs.map((run) => run.medianUs)),
        p99Us: median(runs.map((run) => run.p99Us)),
        meanUs: median(runs.map((run) => run.meanUs)),
      };
    }
    await Promise.all([sdkOff.close(), sdkOn.close()]);
    return { tasks: results, timePerTaskMs, rounds: ROUNDS };
  } finally {
    await server.close();
  }
}

if (isMain(import.meta.url)) await runSection("overhead", () => measureOverhead());
