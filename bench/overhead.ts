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
import type { paths as PlatformPaths } from "../generated/platform.js";
import { createAstroClient } from "../src/v1beta1/index.js";
import { Throttle } from "../src/throttle/throttle.js";
import { isMain, runSection } from "./lib/section.js";
import { startBenchServer } from "./lib/server.js";

export interface TaskStats {
  name: string;
  /** Calls measured. */
  samples: number;
  /** Over every call timed, in all rounds. */
  medianUs: number;
  p99Us: number;
  meanUs: number;
}

export interface OverheadResult {
  tasks: Record<string, TaskStats>;
  /** Time spent timing each task, over all rounds. */
  timePerTaskMs: number;
  rounds: number;
}

const ROUNDS = 30;
/** Calls made before each block is timed (its task's code and connection warm again). */
const WARMUP_CALLS = 5;
/** Calls timed in each block at least, however slow the task. */
const MIN_CALLS = 20;

/** The `q` quantile of sorted values (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

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

    // Many short blocks of every task in turn (the order rotating each round), every call timed,
    // rather than one long run of each: a change in the machine's load while the benchmark runs
    // then weighs on every task alike, and the ratios between rows stay steady from run to run.
    const samples = new Map<string, number[]>(tasks.map(([name]) => [name, []]));
    const blockMs = timePerTaskMs / ROUNDS;
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < tasks.length; k++) {
        const [name, fn] = tasks[(round + k) % tasks.length]!;
        const out = samples.get(name)!;
        for (let i = 0; i < WARMUP_CALLS; i++) await fn();
        const end = performance.now() + blockMs;
        for (let n = 0; n < MIN_CALLS || performance.now() < end; n++) {
          const started = performance.now();
          await fn();
          out.push((performance.now() - started) * 1000);
        }
      }
    }
    const results: Record<string, TaskStats> = {};
    for (const [name] of tasks) {
      const us = samples.get(name)!.sort((a, b) => a - b);
      results[name] = {
        name,
        samples: us.length,
        medianUs: quantile(us, 0.5),
        p99Us: quantile(us, 0.99),
        meanUs: us.reduce((sum, x) => sum + x, 0) / us.length,
      };
    }
    await Promise.all([sdkOff.close(), sdkOn.close()]);
    return { tasks: results, timePerTaskMs, rounds: ROUNDS };
  } finally {
    await server.close();
  }
}

if (isMain(import.meta.url)) await runSection("overhead", () => measureOverhead());
