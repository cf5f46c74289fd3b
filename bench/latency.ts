/**
 * Throughput at the real limits when the API is far away and operations are slow (#12, #18, #28).
 * A server in another process models the network and the API: each request reaches it a random
 * one-way delay after it was sent, is processed for a random time per method, and its response
 * takes a random delay back. The server records the modelled arrival of each request — the
 * moment the rate limit counts — and the same analysis as the accuracy section applies.
 *
 * - "Real API" (first): 50–100 ms each way; GET processed in 0 ms, POST in 1–2 s, DELETE in
 *   0–2 s; the server enforces the published limits at arrival (sliding 1,000 ms) and answers
 *   `429, Retry-After: 1` beyond them, which the client retries. First the default (no
 *   `networkDelayMs`: `"learned"`), then `"unknown"` (strict), `"measured"`, `{ min: 50, max: 100 }`
 *   (the model's bounds exactly) and `{ min: 50, max: 130 }` (plus 30 ms for the local stack
 *   between `ticket.sent()` and the loopback arrival: two busy event loops on a shared 2-core
 *   machine). _Achieved ÷ allowed_ counts the accepted arrivals; _worst window_ counts every
 *   arrival, refused ones too (what the client sent).
 * - "150 ± 50 ms": the server answers 100–200 ms after the request arrives (a round trip to an
 *   API; the loopback way there is ~0 ms), no server limit; the default, `"unknown"`,
 *   `"measured"` (whose fastest round trips are all processing here, the case it must survive),
 *   and `{ min: 0, max: 30 }`: loopback plus 30 ms for both event loops — a bound a loaded
 *   machine does not keep, to show what asserting too tight a bound costs.
 * - One class at a time, so that a burst is one class's limit.
 * - Before each run, 80 concurrent requests open the connections it needs: asserted bounds must
 *   cover connecting, and a burst of new connections on this 2-core machine takes tens of ms.
 * - "429 feedback": loopback, the server limits GET to 15/s (the client believes 25/s) and answers
 *   `429, Retry-After: 1` beyond; how fast the whole budget slows, and whether any call fails.
 *
 *   npx tsx bench/latency.ts          everything
 *   npx tsx bench/latency.ts --far    the "real API" runs only
 */
import type { NetworkDelayOption } from "../src/throttle/arrival.js";
import { createAstroClient, type AstroClient } from "../src/v1beta1/index.js";
import { DEFAULT_LIMITS } from "../src/throttle/limits.js";
import { maxInWindow } from "../test/helpers/windows.js";
import { isMain, runSection } from "./lib/section.js";
import { startBenchServer, type NetworkModel, type TimelineEntry } from "./lib/server.js";
import { analyseStream, type StreamResult } from "./throttle-accuracy.js";

/** Windows' worth of calls queued per class. */
const WINDOWS = 8;

/** One class's stream in one run: accepted arrivals analysed, refused ones counted. */
export interface LatencyStream extends StreamResult {
  /** Requests the server answered 429 (each retried); absent in results from before #28. */
  refused?: number;
}

export interface LatencyRun {
  scenario: string;
  networkDelayMs: string;
  streams: LatencyStream[];
  failed: number;
}

export interface FeedbackResult {
  clientLimit: number;
  serverLimit: number;
  requests: number;
  calls: number;
  failed: number;
  refused: number;
  /** Most arrivals in any 1,000 ms before the first 429 reached the client, and in any 1,000 ms from a window after it. */
  worstBefore: number;
  worstAfter: number;
  /** Accepted calls per second over the run ÷ the server's limit. */
  acceptedRatio: number;
}

export interface LatencyResult {
  windows: number;
  runs: LatencyRun[];
  /** Not measured with `--far`. */
  feedback?: FeedbackResult;
}

const CLASSES = [
  { name: "GET", limit: DEFAULT_LIMITS.get },
  { name: "POST", limit: DEFAULT_LIMITS.post },
  { name: "DELETE", limit: DEFAULT_LIMITS.delete },
] as const;

function call(astro: AstroClient, method: string): Promise<unknown> {
  if (method === "GET") return astro.platform.GET("/organizations");
  if (method === "POST") {
    return astro.iam.POST("/organizations/{organizationId}/teams", {
      params: { path: { organizationId: "org" } },
      body: { name: "bench" },
    });
  }
  return astro.iam.DELETE("/organizations/{organizationId}/teams/{teamId}", {
    params: { path: { organizationId: "org", teamId: "team" } },
  });
}

const PATHS: Record<string, string> = {
  GET: "/organizations",
  POST: "/organizations/org/teams",
  DELETE: "/organizations/org/teams/team",
};

let runs = 0;

/** The stream of `name` in a timeline: ratio over accepted arrivals, worst window over all. */
function stream(name: string, limit: number, timeline: TimelineEntry[]): LatencyStream {
  const mine = timeline.filter(([m, p]) => m === name && p === PATHS[name]);
  const accepted = mine.filter(([, , , refused]) => !refused).map(([, , at]) => at);
  return {
    ...analyseStream(name, limit, accepted),
    requests: mine.length,
    worstWindow: maxInWindow(mine.map(([, , at]) => at)),
    refused: mine.length - accepted.length,
  };
}

async function measure(
  scenario: string,
  model: NetworkModel,
  networkDelayMs: NetworkDelayOption | undefined,
): Promise<LatencyRun> {
  const server = await startBenchServer(model);
  try {
    const astro = createAstroClient({
      token: `bench-latency-${++runs}`,
      urls: { platform: server.url, iam: server.url },
      organizationId: "org",
      throttle: networkDelayMs === undefined ? {} : { networkDelayMs },
    });
    // Open the connections a run needs before it starts (the bounds must cover connecting, see
    // docs/rate-limits.md), and give "measured" its round-trip samples.
    await Promise.all(
      Array.from({ length: 80 }, () => fetch(`${server.url}/warm-up`).then((r) => r.arrayBuffer())),
    );
    // Each class's path once through the SDK too: the first requests of a kind are tens of ms
    // slower through both processes (compilation), which asserted bounds would have to cover.
    for (let i = 0; i < 10; i++) await astro.platform.GET("/organizations");
    await Promise.all([1, 2, 3].flatMap(() => [call(astro, "POST"), call(astro, "DELETE")]));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await server.timeline();
    let failed = 0;
    const streams: LatencyStream[] = [];
    // One class at a time: each stream's bursts are then its own limit, not the three together.
    for (const { name, limit } of CLASSES) {
      await Promise.all(
        Array.from({ length: limit * WINDOWS }, () => call(astro, name).catch(() => (failed += 1))),
      );
      streams.push(stream(name, limit, await server.timeline()));
    }
    await astro.close();
    return {
      scenario,
      networkDelayMs:
        networkDelayMs === undefined
          ? "default (learned)"
          : typeof networkDelayMs === "string"
            ? networkDelayMs
            : JSON.stringify(networkDelayMs),
      failed,
      streams,
    };
  } finally {
    await server.close();
  }
}

async function feedback(): Promise<FeedbackResult> {
  const serverLimit = 15;
  const server = await startBenchServer({
    upMs: [0, 0],
    downMs: [0, 0],
    processingMs: {},
    serverLimit: { GET: serverLimit },
  });
  try {
    let firstRefusalAt: number | undefined;
    const astro = createAstroClient({
      token: "bench-feedback",
      urls: { platform: server.url, iam: server.url },
      maxRetries: 10,
      onEvent: (event) => {
        if (event.type === "response" && event.status === 429)
          firstRefusalAt ??= performance.timeOrigin + performance.now();
      },
    });
    await astro.platform.GET("/organizations");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await server.timeline();
    const calls = DEFAULT_LIMITS.get * WINDOWS;
    let failed = 0;
    const started = performance.timeOrigin + performance.now();
    await Promise.all(
      Array.from({ length: calls }, () => astro.platform.GET("/organizations").catch(() => (failed += 1))),
    );
    const ended = performance.timeOrigin + performance.now();
    const arrivals = (await server.timeline()).map(([, , at]) => at);
    const first = firstRefusalAt ?? ended;
    return {
      clientLimit: DEFAULT_LIMITS.get,
      serverLimit,
      requests: arrivals.length,
      calls,
      failed,
      refused: arrivals.length - calls,
      worstBefore: maxInWindow(arrivals.filter((t) => t <= first)),
      worstAfter: maxInWindow(arrivals.filter((t) => t >= first + 1000)),
      acceptedRatio: calls / ((ended - started) / 1000) / serverLimit,
    };
  } finally {
    await server.close();
  }
}

export async function measureLatency(farOnly = false): Promise<LatencyResult> {
  const near: NetworkModel = {
    upMs: [0, 0],
    downMs: [0, 0],
    processingMs: { GET: [100, 200], POST: [100, 200], DELETE: [100, 200] },
  };
  const far: NetworkModel = {
    upMs: [50, 100],
    downMs: [50, 100],
    processingMs: { GET: [0, 0], POST: [1000, 2000], DELETE: [0, 2000] },
    serverLimit: { GET: DEFAULT_LIMITS.get, POST: DEFAULT_LIMITS.post, DELETE: DEFAULT_LIMITS.delete },
  };
  const results: LatencyRun[] = [];
  const farOptions: (NetworkDelayOption | undefined)[] = [
    undefined,
    "unknown",
    "measured",
    { min: 50, max: 100 },
    { min: 50, max: 130 },
  ];
  for (const option of farOptions) results.push(await measure("real API", far, option));
  if (farOnly) return { windows: WINDOWS, runs: results };
  const nearOptions: (NetworkDelayOption | undefined)[] = [
    undefined,
    "unknown",
    "measured",
    { min: 0, max: 30 },
  ];
  for (const option of nearOptions) results.push(await measure("150 ± 50 ms", near, option));
  return { windows: WINDOWS, runs: results, feedback: await feedback() };
}

if (isMain(import.meta.url))
  await runSection("latency", () => measureLatency(process.argv.includes("--far")));
