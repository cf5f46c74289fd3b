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
import { PlannedRequest } from "../src/transport/planned-request.js";
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
  /** Time spent timing each task. */
  timePerTaskMs: number;
  /** Rounds of short blocks of the tasks not interleaved. */
  rounds: number;
  /** Turns of one call of each interleaved task. */
  turns: number;
  /** Untimed turns before (absent in results from before they covered every row). */
  warmupTurns?: number;
}

/**
 * How a task is timed: `"turns"`, one call of each such task in turn (the calls to the server);
 * `"blocks"`, short blocks of calls, for tasks too slow or too fast to share turns with them.
 */
type Timing = "turns" | "blocks";
/** Rounds of blocks of the `"blocks"` tasks. */
const ROUNDS = 30;
/** Calls made before each block is timed (its task's code and connection warm again). */
const WARMUP_CALLS = 5;
/** Calls timed in each block at least, however slow the task. */
const MIN_CALLS = 20;

/** A seeded generator of numbers in [0, 1) (mulberry32): the same order of blocks in every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy of `items` in random order (Fisher–Yates). */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** The `q` quantile of sorted values (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Limits no run comes near: the throttle is on, but never makes a call wait. */
const FAR_ABOVE = { get: 1_000_000, post: 1_000_000, delete: 1_000_000 };

/**
 * What every row sends besides the URL: the token, as the SDK sends it. A call to the Astro API
 * without it is no call, so bare `fetch` and openapi-fetch carry it too (undici then writes the
 * same headers for all: its own User-Agent where the SDK's is not set).
 */
const TOKEN = "bench-token";
const AUTH = { authorization: `Bearer ${TOKEN}` };
/** Calls of each row made before anything is timed, so that no row is timed while it compiles. */
const WARMUP_TURNS = 300;

export async function measureOverhead(timePerTaskMs = 4500): Promise<OverheadResult> {
  const server = await startBenchServer();
  try {
    const url = `${server.url}/organizations`;
    const openapi = createClient<PlatformPaths>({ baseUrl: server.url, headers: AUTH });
    const urls = { platform: server.url, iam: server.url };
    const sdkOff = createAstroClient({ token: TOKEN, urls, throttle: false });
    const sdkOn = createAstroClient({ token: TOKEN, urls, throttle: { limits: FAR_ABOVE } });
    // Until 0.x the in-process limiter was Bottleneck with these options.
    const bottleneck = new Bottleneck({ reservoir: FAR_ABOVE.get, maxConcurrent: null, minTime: 0 });
    const bottleneckIdle = new Bottleneck({ reservoir: FAR_ABOVE.get, maxConcurrent: null, minTime: 0 });
    // The SDK's throttle on its own, as src/transport/attempt.ts drives it (a ticket answered when headers arrive).
    const throttle = new Throttle({ limits: FAR_ABOVE }, {});
    const throttleIdle = new Throttle({ limits: FAR_ABOVE }, {});
    // The kinds of work src/transport/ does around fetch, added step by step on bare openapi-fetch (throttle off).
    const reissued = createClient<PlatformPaths>({
      baseUrl: server.url,
      headers: AUTH,
      fetch: (request) =>
        fetch(request.url, { method: request.method, headers: new Headers(request.headers) }),
    });
    const withSignals = createClient<PlatformPaths>({
      baseUrl: server.url,
      headers: AUTH,
      fetch: (request) =>
        fetch(request.url, {
          method: request.method,
          headers: new Headers(request.headers),
          signal: AbortSignal.any([request.signal, AbortSignal.timeout(60_000)]),
        }),
    });
    const rebuilt = createClient<PlatformPaths>({
      baseUrl: server.url,
      headers: AUTH,
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

    // The floor of the SDK's design: a per-call `fetch` that answers openapi-fetch with the
    // server's Response (as src/transport/call.ts does), given what openapi-fetch built as URL and
    // init (its `Request` option, src/transport/planned-request.ts) so that only `fetch` builds a
    // Request, doing only what any attempt must — a token, a signal to abort it by, the body read
    // once and parsed.
    const callFetch = async (request: PlannedRequest): Promise<Response> => {
      request.headers.set("authorization", `Bearer ${TOKEN}`);
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        signal: new AbortController().signal,
        redirect: "manual",
      });
      JSON.parse(await response.text());
      return response;
    };
    const openapiManual = createClient<PlatformPaths>({
      baseUrl: server.url,
      redirect: "manual",
      Request: PlannedRequest as unknown as typeof Request,
    });

    const tasks: [string, () => Promise<unknown>, Timing?][] = [
      ["setTimeout(0)", () => new Promise<void>((resolve) => setTimeout(resolve, 0)), "blocks"],
      ["Bottleneck schedule, empty task", () => bottleneckIdle.schedule(() => Promise.resolve()), "blocks"],
      [
        "throttle.run, empty attempt",
        () =>
          throttleIdle.run("0000000000000000", "get", (ticket) => {
            ticket.answered();
            return Promise.resolve();
          }),
        "blocks",
      ],
      ["fetch", async (): Promise<unknown> => (await fetch(url, { headers: AUTH })).json()],
      ["openapi-fetch", () => openapi.GET("/organizations")],
      ["openapi-fetch, fetch(url, init) re-issued", () => reissued.GET("/organizations")],
      ["… + AbortSignal.timeout + AbortSignal.any", () => withSignals.GET("/organizations")],
      ["… + body read as text, new Response", () => rebuilt.GET("/organizations")],
      [
        "openapi-fetch, a per-call fetch answering with the server's Response",
        () =>
          openapiManual.GET("/organizations", {
            parseAs: "stream",
            fetch: callFetch as unknown as (request: Request) => Promise<Response>,
          }),
      ],
      ["SDK, throttle off", () => sdkOff.platform.GET("/organizations")],
      [
        "openapi-fetch + Bottleneck schedule",
        () => bottleneck.schedule(() => openapi.GET("/organizations")),
        "blocks",
      ],
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

    // Warm the server, the connection pool and every row's code up before anything is timed.
    const calls = tasks.filter(([, , timing]) => timing !== "blocks");
    for (let i = 0; i < WARMUP_TURNS; i++) for (const [, fn] of calls) await fn();

    const samples = new Map<string, number[]>(tasks.map(([name]) => [name, []]));
    const random = seeded(12);
    const timed = async (name: string, fn: () => Promise<unknown>) => {
      const started = performance.now();
      await fn();
      samples.get(name)!.push((performance.now() - started) * 1000);
    };

    // The calls to the server, whose ratios are the goals: one call of each in turn, in a new
    // order each turn, every call timed. Whatever the machine does meanwhile — a change of load, a
    // collection of the garbage any of them left — then falls on every row alike, and the ratios
    // stay steady from run to run (blocks of one row at a time moved them by ±5%).
    const callsEnd = performance.now() + timePerTaskMs * calls.length;
    let turns = 0;
    while (performance.now() < callsEnd) {
      for (const [name, fn] of shuffled(calls, random)) await timed(name, fn);
      turns++;
    }
    // The rest, too slow or too fast to share turns with them (a Bottleneck schedule takes
    // milliseconds of timer turns; the empty throttle.run under a microsecond): short blocks of
    // each, in a new order each round.
    const blocks = tasks.filter(([, , timing]) => timing === "blocks");
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, fn] of shuffled(blocks, random)) {
        for (let i = 0; i < WARMUP_CALLS; i++) await fn();
        const end = performance.now() + timePerTaskMs / ROUNDS;
        for (let n = 0; n < MIN_CALLS || performance.now() < end; n++) await timed(name, fn);
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
    return { tasks: results, timePerTaskMs, rounds: ROUNDS, turns, warmupTurns: WARMUP_TURNS };
  } finally {
    await server.close();
  }
}

if (isMain(import.meta.url)) await runSection("overhead", () => measureOverhead());
