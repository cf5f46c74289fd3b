/**
 * Runs shell commands side by side, a few at a time, keeping each one's output to show only if it
 * fails: what `npm test`'s checks (scripts/test-runner/checks.ts) are run with.
 */
import { spawn } from "node:child_process";
import { exitCode } from "../shared/exit-code.js";

/** One check: a name for the report and a shell command. */
export interface Step {
  name: string;
  command: string;
}

/** How a step ended. */
export interface StepResult extends Step {
  code: number;
  ms: number;
  /** stdout and stderr, interleaved as they came. */
  output: string;
}

/** Options of `runSteps`. */
export interface RunOptions {
  /** How many steps run at once. */
  jobs: number;
  cwd: string;
  /**
   * Run each step niced (`nice -n 10`, where there is `nice`): it then uses the CPU only when
   * what runs beside it (vitest, whose timing tests need a responsive event loop) does not.
   */
  background?: boolean;
  /** Hears each step as it ends. */
  onEnd?: (result: StepResult) => void;
}

function runStep(step: Step, options: RunOptions): Promise<StepResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const niced = options.background === true && process.platform !== "win32";
    const child = niced
      ? spawn("nice", ["-n", "10", "sh", "-c", step.command], {
          cwd: options.cwd,
          stdio: ["ignore", "pipe", "pipe"],
        })
      : spawn(step.command, { cwd: options.cwd, shell: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer) => (output += chunk.toString("utf8"));
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    // A command that could not be started says why in its output.
    child.once("error", (error) => (output += `${error.message}\n`));
    void exitCode(child).then((code) => resolve({ ...step, code, ms: performance.now() - started, output }));
  });
}

/** Runs the steps, `jobs` at a time, in the order given. */
export async function runSteps(steps: readonly Step[], options: RunOptions): Promise<StepResult[]> {
  const results: StepResult[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < steps.length; index = next++) {
      const result = await runStep(steps[index]!, options);
      results[index] = result;
      options.onEnd?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, steps.length)) }, worker));
  return results;
}
