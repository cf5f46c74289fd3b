/**
 * Code generation, cold: `tsx scripts/bin/generate.ts --check` in a fresh process each run (resolve and
 * verify the pinned documents, validate, emit types and manifest, prettier, compare), with the
 * per-API milliseconds the generator prints and the whole process's wall time. Cold means prettier
 * too: the texts the formatter kept on disk from earlier runs are removed before each run.
 *
 *   npx tsx bench/generation.ts
 */
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { FORMAT_CACHE_DIR } from "../scripts/shared/prettier.js";
import { isMain, median, runSection } from "./lib/section.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const exec = promisify(execFile);

export interface GenerationRun {
  /** Per API: load (resolve, hash, parse, validate) plus render, as the generator prints it. */
  apis: Record<string, { operations: number; schemas: number; ms: number }>;
  /** The generator's own total (all documents, the comparison included). */
  totalMs: number;
  /** The CPU time of that total (all threads of the process): steadier than wall time on a busy machine. */
  cpuMs?: number;
  /** The child process from spawn to exit: Node and tsx start-up included. */
  wallMs: number;
}

export interface GenerationResult {
  runs: GenerationRun[];
  medianTotalMs: number;
  /** Absent when the generator did not print its CPU time. */
  medianCpuMs?: number;
  medianWallMs: number;
  medianApiMs: Record<string, number>;
}

/** Reads the generator's summary lines: `platform 2024-07-31   28 operations   72 schemas   6387 ms`. */
export function parseGenerateOutput(stdout: string): Omit<GenerationRun, "wallMs"> {
  const apis: GenerationRun["apis"] = {};
  for (const match of stdout.matchAll(/^(\w+)\s+\S+\s+(\d+) operations\s+(\d+) schemas\s+(\d+) ms$/gm)) {
    apis[match[1]!] = { operations: Number(match[2]), schemas: Number(match[3]), ms: Number(match[4]) };
  }
  const total = /^generated\/ and docs\/operations\.md are current \((\d+) ms(?:, (\d+) ms CPU)?\)$/m.exec(
    stdout,
  );
  if (Object.keys(apis).length === 0 || !total) throw new Error(`unexpected generator output:\n${stdout}`);
  return { apis, totalMs: Number(total[1]), ...(total[2] === undefined ? {} : { cpuMs: Number(total[2]) }) };
}

export async function measureGeneration(runs = 3): Promise<GenerationResult> {
  const results: GenerationRun[] = [];
  for (let i = 0; i < runs; i++) {
    await rm(FORMAT_CACHE_DIR, { recursive: true, force: true });
    const started = performance.now();
    const { stdout } = await exec(
      process.execPath,
      ["--import", "tsx", "scripts/bin/generate.ts", "--check"],
      {
        cwd: ROOT,
      },
    );
    results.push({ ...parseGenerateOutput(stdout), wallMs: performance.now() - started });
  }
  const apis = Object.keys(results[0]!.apis);
  return {
    runs: results,
    medianTotalMs: median(results.map((r) => r.totalMs)),
    ...(results.every((r) => r.cpuMs !== undefined)
      ? { medianCpuMs: median(results.map((r) => r.cpuMs!)) }
      : {}),
    medianWallMs: median(results.map((r) => r.wallMs)),
    medianApiMs: Object.fromEntries(apis.map((api) => [api, median(results.map((r) => r.apis[api]!.ms))])),
  };
}

if (isMain(import.meta.url)) await runSection("generation", () => measureGeneration());
