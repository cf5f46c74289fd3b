/**
 * BENCHMARKS.md from one run's results: pure, so that a test can render made-up results. Over
 * 250 lines because it is one page: a renderer per section (seven), sharing the table helpers,
 * and a summary that reads them all.
 */
import type { AccuracyResult } from "../throttle-accuracy.js";
import type { FakeResult } from "../fake.js";
import { fakeSection, fakeSummaryRows } from "./fake-report.js";
import type { LatencyResult } from "../latency.js";
import type { GenerationResult } from "../generation.js";
import type { OverheadResult, TaskStats } from "../overhead.js";
import type { PaginationMemoryResult } from "../pagination-memory.js";
import type { BinaryDownloadResult } from "../binary-download.js";
import { binarySection, binarySummaryRow } from "./binary-report.js";
import type { TypecheckResult } from "../typecheck-cost.js";

export interface MachineFacts {
  node: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  /** 1, 5 and 15 minute load averages when the run started and when it ended. */
  loadStart: number[];
  loadEnd: number[];
  date: string;
}

/** A section that failed or was skipped: the report says so instead of a number. */
export interface Missing {
  missing: string;
}

export type Maybe<T> = T | Missing;

export interface RedisSection {
  /** What the script printed (Markdown), or why it did not run. */
  output: string;
  exitCode: number | null;
}

export interface BenchResults {
  command: string;
  machine: MachineFacts;
  buildMs: number;
  overhead: Maybe<OverheadResult>;
  accuracy: Maybe<AccuracyResult>;
  latency: Maybe<LatencyResult>;
  redis: RedisSection;
  generation: Maybe<GenerationResult>;
  typecheck: Maybe<TypecheckResult>;
  pagination: Maybe<{ streamed: PaginationMemoryResult; collected: PaginationMemoryResult }>;
  /** Absent in results written before the fake's section existed. */
  fake?: Maybe<FakeResult>;
  /** Absent in results saved before it was measured. */
  binary?: Maybe<BinaryDownloadResult>;
}

const isMissing = <T>(value: Maybe<T>): value is Missing =>
  typeof value === "object" && value !== null && "missing" in value;

const us = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const ms = (value: number): string => value.toFixed(0);
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const ratio = (value: number): string => value.toFixed(2);
const verdict = (ok: boolean): string => (ok ? "met" : "**not met**");

/** The overhead tasks, by the names bench/overhead.ts gives them. */
export const TASK = {
  timer: "setTimeout(0)",
  bottleneckEmpty: "Bottleneck schedule, empty task",
  throttleEmpty: "throttle.run, empty attempt",
  fetch: "fetch",
  openapi: "openapi-fetch",
  reissued: "openapi-fetch, fetch(url, init) re-issued",
  signals: "… + AbortSignal.timeout + AbortSignal.any",
  rebuilt: "… + body read as text, new Response",
  sdkOff: "SDK, throttle off",
  openapiBottleneck: "openapi-fetch + Bottleneck schedule",
  sdkOn: "SDK, throttle on",
  openapiThrottle: "openapi-fetch + throttle.run",
} as const;

export interface OverheadRatios {
  sdkOffVsOpenapi: number;
  sdkOnVsOpenapi: number;
  sdkOnVsOpenapiBottleneck: number;
  throttleVsOpenapi: number;
  /** setTimeout(0) turns one empty Bottleneck schedule costs. */
  timerTurns: number;
}

export function overheadRatios(tasks: Record<string, TaskStats>): OverheadRatios {
  const median = (name: string): number => {
    const task = tasks[name];
    if (!task) throw new Error(`no overhead task named ${name}`);
    return task.medianUs;
  };
  return {
    sdkOffVsOpenapi: median(TASK.sdkOff) / median(TASK.openapi),
    sdkOnVsOpenapi: median(TASK.sdkOn) / median(TASK.openapi),
    sdkOnVsOpenapiBottleneck: median(TASK.sdkOn) / median(TASK.openapiBottleneck),
    throttleVsOpenapi: median(TASK.openapiThrottle) / median(TASK.openapi),
    timerTurns: median(TASK.bottleneckEmpty) / median(TASK.timer),
  };
}

function table(header: string[], rows: string[][]): string {
  return [header, header.map(() => "---"), ...rows].map((row) => `| ${row.join(" | ")} |`).join("\n");
}

function overheadSection(result: Maybe<OverheadResult>): string[] {
  if (isMissing(result)) return ["## 1. Overhead per call", "", `Not measured: ${result.missing}`, ""];
  const t = result.tasks;
  const r = overheadRatios(t);
  const get = (name: string): TaskStats => t[name]!;
  const base = get(TASK.openapi).medianUs;
  const rows = Object.values(t).map((task) => [
    task.name,
    String(task.samples),
    us(task.medianUs),
    us(task.p99Us),
    task.name.includes("empty") || task.name === TASK.timer ? "—" : ratio(task.medianUs / base),
  ]);
  const throttleCost = get(TASK.sdkOn).medianUs - get(TASK.sdkOff).medianUs;
  const wrapCost = get(TASK.sdkOff).medianUs - base;
  return [
    "## 1. Overhead per call",
    "",
    "Sequential `GET /organizations` calls to a local keep-alive `node:http` server in another process, " +
      `timed with tinybench in ${result.rounds} rounds of every row (${(result.timePerTaskMs / result.rounds / 1000).toFixed(1)} s ` +
      "each after a short warm-up, so that a change of load weighs on all rows alike); µs per call, medians " +
      "of the rounds' medians. " +
      "_Throttle on_ uses limits far above the rate reached (1,000,000/s), so no call ever waits for budget: " +
      "what remains is the limiter's own cost.",
    "",
    table(["path", "calls", "median µs", "p99 µs", "median ÷ openapi-fetch"], rows),
    "",
    table(
      ["ratio (medians)", "value", "goal", ""],
      [
        [
          "SDK, throttle off ÷ openapi-fetch",
          ratio(r.sdkOffVsOpenapi),
          "≤ 1.10",
          verdict(r.sdkOffVsOpenapi <= 1.1),
        ],
        [
          "SDK, throttle on, budget free ÷ openapi-fetch",
          ratio(r.sdkOnVsOpenapi),
          "≤ 1.10",
          verdict(r.sdkOnVsOpenapi <= 1.1),
        ],
        ["openapi-fetch + throttle.run ÷ openapi-fetch", ratio(r.throttleVsOpenapi), "—", ""],
        [
          "SDK, throttle on ÷ (openapi-fetch + Bottleneck schedule)",
          ratio(r.sdkOnVsOpenapiBottleneck),
          "—",
          "",
        ],
      ],
    ),
    "",
    "### Where the time goes",
    "",
    `- **Throttling costs ${us(throttleCost)} µs per call** (throttle on − off, within the noise between rows), ` +
      `and the throttle alone — \`throttle.run\` with an empty attempt — ${us(get(TASK.throttleEmpty).medianUs)} µs: ` +
      "a call that finds budget with nobody waiting takes its unit and starts in the same tick " +
      "(`src/throttle/window.ts`). What it does: one `performance.now()`, dropping the units whose window " +
      "has passed from the front of a sorted array, a comparison with the limit, a ticket object, and when " +
      "the attempt settles, one sorted insert of the moment its unit comes back; no timer unless a call waits. " +
      "The rest of a throttled call's time is the SDK's (token hash, events) and the network's.",
    `- **Why the in-process limiter is no longer Bottleneck.** An empty Bottleneck \`schedule\` takes ` +
      `${us(get(TASK.bottleneckEmpty).medianUs)} µs, ${r.timerTurns.toFixed(1)}× one \`setTimeout(0)\` turn ` +
      `(${us(get(TASK.timer).medianUs)} µs: Node clamps 0 to 1 ms): its \`LocalDatastore\` waits for a timer turn ` +
      "in `__submit__`, `__register__`, the job's start and `__free__`, on every call, whether or not it had to " +
      `wait; openapi-fetch through it ran at ${ratio(get(TASK.openapiBottleneck).medianUs / base)}× bare ` +
      "openapi-fetch. Those turns guard nothing — the invariant comes from the accounting, a unit per attempt " +
      "given back a window after the server surely had the request — so the accounting is kept synchronously. " +
      "Bottleneck stays where it earns its place: sharing a budget between processes through Redis (section 4), " +
      "where each call needs a round trip to Redis anyway.",
    `- **Wrapping costs ${us(wrapCost)} µs per call** (SDK throttle off − openapi-fetch). The ladder of rows built ` +
      "on bare openapi-fetch shows how it adds up, each step being something `src/send.ts` does around `fetch`: " +
      `re-issuing the request as \`fetch(url, init)\` (${us(get(TASK.reissued).medianUs)} µs: undici builds a second ` +
      `\`Request\`), a per-attempt timeout signal combined with the caller's (${us(get(TASK.signals).medianUs)} µs), ` +
      `reading the body as text and handing openapi-fetch a new \`Response\` (${us(get(TASK.rebuilt).medianUs)} µs). ` +
      (get(TASK.sdkOff).medianUs > get(TASK.rebuilt).medianUs
        ? `The remaining ${us(get(TASK.sdkOff).medianUs - get(TASK.rebuilt).medianUs)} µs is the SDK's own ` +
          "bookkeeping (token function, events, manifest lookup)."
        : "The SDK itself comes out no slower than the ladder's last step: its own bookkeeping (token function, " +
          "events, manifest lookup) is lost in the noise between rows."),
    "",
  ];
}

function accuracySection(result: Maybe<AccuracyResult>): string[] {
  if (isMissing(result)) return ["## 2. Throttle accuracy", "", `Not measured: ${result.missing}`, ""];
  const rows = result.streams.map((s) => [
    s.name,
    `${s.limit}/s`,
    String(s.requests),
    (s.makespanMs / 1000).toFixed(2),
    (s.idealMs / 1000).toFixed(2),
    ms(s.makespanMs / (s.idealMs / 1000)),
    s.attemptMs ? `${ms(s.attemptMs.median)} / ${ms(s.attemptMs.max)}` : "—",
    ratio(s.ratio),
    `${s.worstWindow} / ${s.limit}`,
    s.ratio >= 0.98 && s.worstWindow <= s.limit ? "met" : "**not met**",
  ]);
  return [
    "## 2. Throttle accuracy",
    "",
    `At the real limits, one token: each class gets a backlog of ${result.windows} windows' worth of calls at once ` +
      "(the three classes at the same time), and the server — in another " +
      "process — records when each request arrived. _Achieved ÷ allowed_ is the shortest makespan the limit " +
      "allows, (⌈requests ÷ limit⌉ − 1) s, divided by the measured one (goal ≥ 0.98); _worst window_ is the " +
      "most arrivals in any sliding 1,000 ms (must be ≤ the limit).",
    "",
    table(
      [
        "stream",
        "limit",
        "requests",
        "makespan s",
        "shortest allowed s",
        "ms per window",
        "attempt ms, median / max",
        "achieved ÷ allowed",
        "worst window",
        "goal",
      ],
      rows,
    ),
    "",
    "A unit comes back 1,005 ms after the response headers of its attempt arrived (the earliest moment that " +
      "bounds when the server had the request, without assumptions about the network), so each turn of the " +
      "budget lasts 1,005 ms plus the attempt's round trip — on loopback, its time in the server's queue while " +
      "a whole window's worth arrives at once — plus timer lateness. _ms per window_ is what a turn took in " +
      "this run (makespan ÷ windows); the goal of 0.98 allows 1,020 ms. _Attempt ms_ is the SDK's own measure " +
      "of each attempt, from sending to the whole response.",
    "",
  ];
}

function latencySection(result: Maybe<LatencyResult>): string[] {
  const title = "## 3. Far API, slow operations, 429 feedback";
  if (isMissing(result)) return [title, "", `Not measured: ${result.missing}`, ""];
  const rows = result.runs.flatMap((run) =>
    run.streams.map((s) => [
      run.scenario,
      `\`${run.networkDelayMs}\``,
      s.name,
      `${s.limit}/s`,
      String(s.requests),
      ratio(s.ratio),
      `${s.worstWindow} / ${s.limit}`,
      s.worstWindow <= s.limit ? "" : "**over**",
    ]),
  );
  const f = result.feedback;
  return [
    title,
    "",
    "A server in another process models the network and the API (`bench/latency.ts`): each request reaches " +
      "it a random one-way delay after it arrived on loopback, is processed for a random time per method, and " +
      "the response takes a random delay back; the server records the modelled arrival, the moment its rate " +
      `limit would count. One class at a time, ${result.windows} windows' worth of calls queued at once, after ` +
      "80 concurrent requests opened the connections. _150 ± 50 ms_: the server answers 100–200 ms after the " +
      "request arrives (#12). _Real API_: 50–100 ms each way; GET processed in 0 ms, POST in 1–2 s, DELETE in " +
      "0–2 s (#18). `networkDelayMs` is the client's assumption (README, Rate limits); `{ min: 50, max: 100 }` " +
      "is the model's network exactly, `max: 130` adds 30 ms for the local stack between `ticket.sent()` and " +
      "the loopback arrival (two busy event loops on a shared 2-core machine). In the 150 ± 50 ms scenario, " +
      "`{ min: 0, max: 30 }` asserts that every request reaches the loopback server within 30 ms of being " +
      "handed to fetch — which a machine this loaded does not keep (the first bursts and event-loop stalls " +
      "take longer): its windows over the limit are the residual risk of asserting a bound the network " +
      "does not keep, shown on purpose.",
    "",
    table(
      ["scenario", "networkDelayMs", "class", "limit", "requests", "achieved ÷ allowed", "worst window", ""],
      rows,
    ),
    "",
    "_429 feedback_: loopback, the server limits GET to " +
      `${f.serverLimit}/s (sliding window of its arrivals) while the client believes ${f.clientLimit}/s, and answers ` +
      `\`429, Retry-After: 1\` beyond; ${f.calls} GETs queued at once, \`maxRetries: 10\`.`,
    "",
    table(
      ["measure", "value"],
      [
        ["requests sent (calls + retries)", String(f.requests)],
        ["429s", String(f.refused)],
        ["calls failed", String(f.failed)],
        ["worst window before the first 429 reached the client", String(f.worstBefore)],
        [
          "worst window from one window after it",
          `${f.worstAfter} (≤ ${Math.floor(f.clientLimit * 0.7)} expected)`,
        ],
        ["calls per second ÷ the server's limit", ratio(f.acceptedRatio)],
      ],
    ),
    "",
  ];
}

function redisSection(redis: RedisSection): string[] {
  return [
    "## 4. Redis: 3 processes sharing one token",
    "",
    redis.exitCode === null
      ? redis.output
      : `\`npx tsx bench/redis-throughput.ts\` (written with the Redis limiter; exit code ${redis.exitCode}):\n\n${redis.output.trim()}`,
    "",
  ];
}

function generationSection(result: Maybe<GenerationResult>): string[] {
  if (isMissing(result)) return ["## 5. Code generation", "", `Not measured: ${result.missing}`, ""];
  const apis = Object.keys(result.medianApiMs);
  const first = result.runs[0]!;
  return [
    "## 5. Code generation, cold",
    "",
    `\`tsx scripts/bin/generate.ts --check\` in a fresh process, ${result.runs.length} runs, medians: resolve and ` +
      "verify each pinned document, validate it, emit types and the manifest, format, compare with `generated/`.",
    "",
    table(
      ["API", "operations", "schemas", "ms"],
      [
        ...apis.map((api) => [
          api,
          String(first.apis[api]!.operations),
          String(first.apis[api]!.schemas),
          ms(result.medianApiMs[api]!),
        ]),
        ["all documents, as the generator times itself", "", "", ms(result.medianTotalMs)],
        ...(result.medianCpuMs === undefined
          ? []
          : [["the same, CPU time (steadier on a busy machine)", "", "", ms(result.medianCpuMs)]]),
        ["the whole process (Node and tsx start-up included)", "", "", ms(result.medianWallMs)],
      ],
    ),
    "",
  ];
}

function typecheckSection(result: Maybe<TypecheckResult>): string[] {
  if (isMissing(result)) return ["## 6. Type-checking cost", "", `Not measured: ${result.missing}`, ""];
  const w = result.wallMs;
  const c = result.checkMs;
  return [
    "## 6. Type-checking cost for a consumer",
    "",
    `\`tsc --noEmit\` (${result.typescript}, \`moduleResolution: node16\`, \`strict\`, \`skipLibCheck\`) in a project ` +
      `that depends on the built package; medians of ${result.runs} alternating runs. The 20 calls are ` +
      "`bench/fixtures/typical-calls.ts`: path-based GET/POST/DELETE on both APIs, error handling, `paginate`. " +
      "Differences of a hundred milliseconds or so are within the noise of starting `tsc`.",
    "",
    table(
      ["file", "wall ms", "of which checking ms", "minus the empty baseline, ms"],
      [
        ["empty (`export {}`)", ms(w.empty), ms(c.empty), "—"],
        ["import + createAstroClient", ms(w.import), ms(c.import), ms(w.import - w.empty)],
        ["20 typical calls", ms(w.calls), ms(c.calls), ms(w.calls - w.empty)],
      ],
    ),
    "",
  ];
}

function paginationSection(
  result: Maybe<{ streamed: PaginationMemoryResult; collected: PaginationMemoryResult }>,
): string[] {
  if (isMissing(result)) return ["## 7. Pagination memory", "", `Not measured: ${result.missing}`, ""];
  const { streamed, collected } = result;
  const row = (name: string, r: PaginationMemoryResult) => [
    name,
    String(r.items),
    String(r.pages),
    ms(r.ms),
    mb(r.peakRssGrowth),
    `${mb(r.rssGrowthSeries[0] ?? 0)} → ${mb(r.rssGrowthSeries.at(-1) ?? 0)}`,
    mb(r.peakHeapGrowth),
    `${mb(r.retainedHeapSeries[0] ?? 0)} → ${mb(r.retainedHeapSeries.at(-1) ?? 0)}`,
  ];
  return [
    "## 7. Pagination memory",
    "",
    `${streamed.total.toLocaleString("en")} deployments (≈${(streamed.pageBytes / streamed.pageSize / 1024).toFixed(1)} KB of JSON each) ` +
      `in pages of ${streamed.pageSize} (${mb(streamed.pageBytes)} MB a page) from a local server, through ` +
      "`astro.platform.paginate(…).pages()`; each mode in a fresh process with `--expose-gc`, against a baseline " +
      "taken after a full GC. _Streamed_ touches every item and keeps none; _collected_ keeps them all in an " +
      "array, for contrast. The series columns read _after 1,000 items → after 10,000_; the retained heap is " +
      "measured in a second pass with a full GC every 10 pages.",
    "",
    table(
      [
        "mode",
        "items",
        "pages",
        "ms",
        "peak RSS growth MB",
        "RSS growth, 1k → 10k items",
        "peak heap growth MB",
        "heap kept after GC, 1k → 10k items MB",
      ],
      [row("streamed", streamed), row("collected", collected)],
    ),
    "",
    `Streaming keeps little: after a GC its heap holds ${mb(streamed.retainedHeapSeries[0] ?? 0)} MB more than ` +
      `before after 1,000 items and ${mb(streamed.retainedHeapSeries.at(-1) ?? 0)} MB after 10,000 (one page is ` +
      `${mb(streamed.pageBytes)} MB), where the collected list holds ${mb(collected.retainedHeapSeries[0] ?? 0)} → ` +
      `${mb(collected.retainedHeapSeries.at(-1) ?? 0)} MB, growing with every page. Peak RSS is the coarser ` +
      "measure: it also counts garbage not yet collected, and V8 sizes its young generation to the " +
      "allocation rate (≈ a page every few milliseconds here), whether or not anything is kept.",
    "",
  ];
}

function summary(results: BenchResults): string[] {
  const rows: string[][] = [];
  if (!isMissing(results.overhead)) {
    const r = overheadRatios(results.overhead.tasks);
    rows.push(["SDK (throttle off) ÷ openapi-fetch, median per call", ratio(r.sdkOffVsOpenapi), "≤ 1.10"]);
    rows.push([
      "SDK (throttle on, budget free) ÷ openapi-fetch, median per call",
      ratio(r.sdkOnVsOpenapi),
      "≤ 1.10",
    ]);
  }
  if (!isMissing(results.accuracy)) {
    for (const s of results.accuracy.streams.filter((s) => s.name.includes("SDK"))) {
      rows.push([
        `${s.name}: achieved ÷ allowed; worst window`,
        `${ratio(s.ratio)}; ${s.worstWindow}`,
        `≥ 0.98; ≤ ${s.limit}`,
      ]);
    }
  }
  if (!isMissing(results.latency)) {
    for (const run of results.latency.runs) {
      for (const s of run.streams) {
        rows.push([
          `${run.scenario}, \`${run.networkDelayMs}\`, ${s.name}: achieved ÷ allowed; worst window`,
          `${ratio(s.ratio)}; ${s.worstWindow}`,
          run.scenario === "real API" && run.networkDelayMs !== "unknown" && run.networkDelayMs !== "measured"
            ? `≥ 0.90 (GET, POST); ≤ ${s.limit}`
            : `≤ ${s.limit}`,
        ]);
      }
    }
    const f = results.latency.feedback;
    rows.push([
      "429 feedback: calls failed; worst window from a window after the first 429",
      `${f.failed}; ${f.worstAfter}`,
      `0; < ${f.clientLimit}`,
    ]);
  }
  if (!isMissing(results.generation)) {
    rows.push([
      "code generation, all documents, cold (generator's own time; CPU)",
      `${ms(results.generation.medianTotalMs)} ms; ${results.generation.medianCpuMs === undefined ? "—" : `${ms(results.generation.medianCpuMs)} ms`}`,
      "< 3,000 ms",
    ]);
  }
  if (!isMissing(results.typecheck)) {
    const w = results.typecheck.wallMs;
    rows.push(["consumer type-check, 20 calls minus empty baseline", `${ms(w.calls - w.empty)} ms`, "—"]);
  }
  if (!isMissing(results.pagination)) {
    const s = results.pagination.streamed;
    rows.push([
      "pagination of 10,000 items: peak RSS growth; heap kept after GC",
      `${mb(s.peakRssGrowth)} MB; ${mb(s.retainedHeapSeries.at(-1) ?? 0)} MB`,
      "flat (≈ one page)",
    ]);
  }
  const binary = binarySummaryRow(results.binary);
  if (binary) rows.push(binary);
  rows.push(...fakeSummaryRows(results.fake));
  return ["## Summary", "", table(["measure", "result", "goal"], rows), ""];
}

export function renderReport(results: BenchResults): string {
  const m = results.machine;
  return [
    "# Benchmarks",
    "",
    `<!-- Written by \`${results.command}\` (bench/run.ts). Do not edit: run it again. -->`,
    "",
    `One run of \`${results.command}\` on ${m.date}. It builds the package first (${ms(results.buildMs)} ms) ` +
      "and runs each section in a fresh Node process. Numbers from a shared machine move between runs, " +
      "the timing ones most; the load averages below say how busy it was.",
    "",
    table(
      ["machine", ""],
      [
        ["Node", m.node],
        ["CPU", m.cpu],
        ["cores", String(m.cores)],
        ["memory", `${m.memoryGiB.toFixed(0)} GiB`],
        ["OS", m.os],
        ["load average (1, 5, 15 min) at start", m.loadStart.map((l) => l.toFixed(2)).join(", ")],
        ["load average at end", m.loadEnd.map((l) => l.toFixed(2)).join(", ")],
      ],
    ),
    "",
    ...summary(results),
    ...overheadSection(results.overhead),
    ...accuracySection(results.accuracy),
    ...latencySection(results.latency),
    ...redisSection(results.redis),
    ...generationSection(results.generation),
    ...typecheckSection(results.typecheck),
    ...paginationSection(results.pagination),
    ...binarySection(results.binary),
    ...fakeSection(results.fake, 9),
  ].join("\n");
}
