/**
 * `npm test`: vitest and the checks (scripts/test-runner/checks.ts) at the same time. Many test
 * files spend their time waiting on timers, servers and child processes; the checks, niced, use
 * the CPU they leave. vitest prints as usual (arguments after `npm test --` go to it); the checks
 * print one line each with its duration when vitest is done, and a failed check's output. Exits 1
 * when vitest or any check failed, saying which.
 *
 * `--checks-only` runs the checks alone, two at a time, at normal priority.
 */
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { exitCode } from "../shared/exit-code.js";
import { REPO_ROOT } from "../shared/repo-root.js";
import { CHECKS, reportChecks, seconds } from "./checks.js";
import { runSteps } from "./run-steps.js";

const args = process.argv.slice(2);
const checksOnly = args.includes("--checks-only");
const started = performance.now();
const checks = runSteps(CHECKS, {
  jobs: checksOnly ? Math.max(2, availableParallelism()) : 2,
  cwd: REPO_ROOT,
  background: !checksOnly,
});

let vitestCode = 0;
if (!checksOnly) {
  const cli = join(REPO_ROOT, "node_modules", "vitest", "vitest.mjs");
  const vitest = spawn(process.execPath, [cli, "run", ...args], { cwd: REPO_ROOT, stdio: "inherit" });
  vitestCode = await exitCode(vitest);
  console.log(
    `\nvitest ${vitestCode === 0 ? "passed" : `failed (exit ${vitestCode})`} in ${seconds(performance.now() - started)}`,
  );
}

const passed = reportChecks(await checks, performance.now() - started);
if (vitestCode !== 0 || !passed) {
  console.error(
    `npm test failed: ${[vitestCode !== 0 ? "vitest" : "", passed ? "" : "checks"].filter(Boolean).join(" and ")}`,
  );
  process.exitCode = 1;
}
