/**
 * `npm run bench`: builds the package, runs every benchmark section in a fresh Node process, and
 * writes BENCHMARKS.md from this one run. Not part of `npm test` (≈ 7 minutes, timing-dependent).
 *
 *   npm run bench                     everything, writes BENCHMARKS.md
 *   npm run bench -- --only overhead  some sections (overhead, accuracy, latency, redis,
 *                                     generation, typecheck, pagination, binary, fake, footprint), printed,
 *                                     BENCHMARKS.md untouched
 *   npm run bench -- --render-only    BENCHMARKS.md again from the last full run's raw results
 *                                     (.cache/bench-results.json), without measuring
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg, release, totalmem, type as osType } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import * as prettier from "prettier";
import type { FakeResult } from "./fake.js";
import type { FootprintResult } from "./footprint.js";
import type { GenerationResult } from "./generation.js";
import type { OverheadResult } from "./overhead.js";
import type { PaginationMemoryResult } from "./pagination-memory.js";
import type { BinaryDownloadResult } from "./binary-download.js";
import { renderReport, type BenchResults, type RedisSection } from "./lib/report.js";
import type { Maybe } from "./lib/report-format.js";
import { RESULT_PREFIX } from "./lib/section.js";
import type { AccuracyResult } from "./throttle-accuracy.js";
import type { LatencyResult } from "./latency.js";
import type { TypecheckResult } from "./typecheck-cost.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const REPORT = join(ROOT, "BENCHMARKS.md");
/** The raw results of the last full run (git-ignored), for `--render-only`. */
const RESULTS = join(ROOT, ".cache", "bench-results.json");
const COMMAND = "npm run bench";
const SECTIONS = [
  "overhead",
  "accuracy",
  "latency",
  "redis",
  "generation",
  "typecheck",
  "pagination",
  "binary",
  "fake",
  "footprint",
] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: { only: { type: "string", multiple: true }, "render-only": { type: "boolean", default: false } },
});
const only = new Set((values.only ?? SECTIONS).flatMap((s) => s.split(",")) as Section[]);
for (const name of only) if (!SECTIONS.includes(name)) throw new Error(`unknown section ${name}`);
const writing = only.size === SECTIONS.length || values["render-only"];

/** Runs a command in ROOT, passing its stderr through; resolves with stdout and the exit code. */
function run(command: string, args: string[]): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ stdout, code }));
  });
}

/** Runs one section script in a fresh process and returns its result, or why there is none. */
async function section<T>(
  name: Section,
  file: string,
  args: string[] = [],
  node: string[] = [],
): Promise<Maybe<T>> {
  if (!only.has(name)) return { missing: "not run (--only)" };
  const started = performance.now();
  console.error(`… ${name}${args.length ? ` ${args.join(" ")}` : ""}`);
  const { stdout, code } = await run(process.execPath, [...node, "--import", "tsx", file, "--json", ...args]);
  const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
  console.error(`  ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s (exit ${code})`);
  if (code !== 0 || !line) return { missing: `\`${file}\` failed (exit ${code}); run it alone to see why` };
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
}

async function redis(): Promise<RedisSection> {
  const file = "bench/redis-throughput.ts";
  if (!only.has("redis")) return { output: "Not run (--only).", exitCode: null };
  if (!existsSync(join(ROOT, file))) {
    return { output: `Not measured: \`${file}\` does not exist in this checkout.`, exitCode: null };
  }
  console.error("… redis");
  const { stdout, code } = await run(process.execPath, ["--import", "tsx", file]);
  return { output: stdout.trim() || "(it printed nothing)", exitCode: code };
}

/** Runs every section; the results are also kept in RESULTS, so the page can be re-rendered. */
async function measureAll(): Promise<BenchResults> {
  const loadStart = loadavg();
  const buildStarted = performance.now();
  console.error("… npm run build");
  await promisify(execFile)("npm", ["run", "build"], { cwd: ROOT, maxBuffer: 64 << 20 });
  const buildMs = performance.now() - buildStarted;

  const overhead = await section<OverheadResult>("overhead", "bench/overhead.ts");
  const accuracy = await section<AccuracyResult>("accuracy", "bench/throttle-accuracy.ts");
  const latency = await section<LatencyResult>("latency", "bench/latency.ts");
  const redisResult = await redis();
  const generation = await section<GenerationResult>("generation", "bench/generation.ts");
  const typecheck = await section<TypecheckResult>("typecheck", "bench/typecheck-cost.ts");
  const streamed = await section<PaginationMemoryResult>(
    "pagination",
    "bench/pagination-memory.ts",
    ["streamed"],
    ["--expose-gc"],
  );
  const collected = await section<PaginationMemoryResult>(
    "pagination",
    "bench/pagination-memory.ts",
    ["collected"],
    ["--expose-gc"],
  );
  const binary = await section<BinaryDownloadResult>(
    "binary",
    "bench/binary-download.ts",
    [],
    ["--expose-gc"],
  );
  const fake = await section<FakeResult>("fake", "bench/fake.ts");
  const footprint = await section<FootprintResult>("footprint", "bench/footprint.ts");

  const cpu = cpus();
  return {
    command: COMMAND,
    machine: {
      node: process.version,
      cpu: cpu[0]?.model.trim() ?? "unknown",
      cores: cpu.length,
      memoryGiB: totalmem() / 1024 ** 3,
      os: `${osType()} ${release()}`,
      loadStart,
      loadEnd: loadavg(),
      date: new Date().toISOString().slice(0, 10),
    },
    buildMs,
    overhead,
    accuracy,
    latency,
    redis: redisResult,
    generation,
    typecheck,
    pagination:
      "missing" in streamed ? streamed : "missing" in collected ? collected : { streamed, collected },
    binary,
    fake,
    footprint,
  };
}

const results: BenchResults = values["render-only"]
  ? (JSON.parse(await readFile(RESULTS, "utf8")) as BenchResults)
  : await measureAll();
if (!values["render-only"] && only.size === SECTIONS.length) {
  await mkdir(dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, JSON.stringify(results, null, 2));
}

const config = (await prettier.resolveConfig(REPORT)) ?? {};
const markdown = await prettier.format(renderReport(results), { ...config, parser: "markdown" });
if (writing) {
  await writeFile(REPORT, markdown);
  console.error(`wrote ${REPORT}`);
} else {
  console.log(markdown);
}
