/**
 * BENCHMARKS.md from one run's results: pure, so that a test can render made-up results. The
 * page's frame, the summary that reads every section, and the shorter sections; the longer ones
 * have files of their own (overhead-report, throttle-report, binary-report), the shared formats
 * are in report-format.
 */
import type { AccuracyResult } from "../throttle-accuracy.js";
import type { FakeResult } from "../fake.js";
import { fakeSection, fakeSummaryRows } from "./fake-report.js";
import type { FootprintResult } from "../footprint.js";
import { footprintSection, footprintSummaryRows } from "./footprint-report.js";
import type { LatencyResult } from "../latency.js";
import type { GenerationResult } from "../generation.js";
import type { OverheadResult } from "../overhead.js";
import type { PaginationMemoryResult } from "../pagination-memory.js";
import type { BinaryDownloadResult } from "../binary-download.js";
import { binarySection, binarySummaryRow } from "./binary-report.js";
import { overheadRatios, overheadSection } from "./overhead-report.js";
import { isMissing, mb, ms, ratio, table, type Maybe } from "./report-format.js";
import { accuracyMet, accuracySection, farGoalRows, latencySection } from "./throttle-report.js";
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
  /** Absent in results written before the footprint's section existed. */
  footprint?: Maybe<FootprintResult>;
  /** Absent in results saved before it was measured. */
  binary?: Maybe<BinaryDownloadResult>;
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
      "verify each pinned document, validate it, emit types and the manifest, format, compare with `generated/`. " +
      "Cold includes prettier: what the formatter keeps on disk between runs " +
      "(`node_modules/.cache/astro-prettier`) is removed before each run.",
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
      "`bench/fixtures/typical-calls.ts`: path-based GET/POST/DELETE on the v1 client, error handling, `paginate`. " +
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
        `${s.name}: achieved ÷ allowed; worst window; over the limit`,
        `${ratio(s.ratio)}; ${s.worstWindow}; ${s.overLimit ?? "—"} (${accuracyMet(s) ? "met" : "**not met**"})`,
        `≥ 0.98; —; ≤ 2% of ${s.requests}`,
      ]);
    }
  }
  if (!isMissing(results.latency)) {
    // The goals of #28 first (the default, far from the API), with whether each is met.
    for (const [measure, value, goal, met] of farGoalRows(results.latency)) {
      rows.push([measure, `${value} (${met})`, goal]);
    }
    for (const run of results.latency.runs) {
      // The far default's rows are the goals above.
      if (run.scenario === "real API" && run.networkDelayMs.startsWith("default")) continue;
      for (const s of run.streams) {
        const fast = s.name !== "DELETE" && run.scenario === "real API";
        rows.push([
          `${run.scenario}, \`${run.networkDelayMs}\`, ${s.name}: achieved ÷ allowed; worst window`,
          `${ratio(s.ratio)}; ${s.worstWindow}`,
          run.networkDelayMs.startsWith("default")
            ? "—"
            : fast && run.networkDelayMs !== "unknown" && run.networkDelayMs !== "measured"
              ? `≥ 0.90; ≤ ${s.limit}`
              : `≤ ${s.limit}`,
        ]);
      }
    }
    const f = results.latency.feedback;
    if (f) {
      rows.push([
        "429 feedback: calls failed; worst window from a window after the first 429",
        `${f.failed}; ${f.worstAfter}`,
        `0; < ${f.clientLimit}`,
      ]);
    }
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
  rows.push(...footprintSummaryRows(results.footprint));
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
    ...footprintSection(results.footprint, 10),
  ].join("\n");
}
