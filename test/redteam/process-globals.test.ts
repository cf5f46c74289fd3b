/**
 * The SDK keeps process-wide state on `globalThis` under registered symbols (the throttle's
 * budgets and declarations, the v1beta1 warning's flag), so copies of the package share it. What
 * is found there may not be what this copy expects: another copy (or a test) put something else
 * under the symbol, its getter throws, or the sandbox froze `globalThis` (SES's lockdown and
 * harden, `Object.freeze`). Each case runs in a child process, the state set before the import.
 * The SDK must import, and calls must work: it keeps its own state where it cannot share.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { killOnExit } from "../helpers/kill-on-exit.js";

const STATES = [
  "untouched",
  "budgets-not-a-map",
  "declarations-a-number",
  "getters-throw",
  "read-only",
  "not-extensible",
  "frozen",
] as const;

function runChild(state: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "test/redteam/fixtures/process-globals.ts", state],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    killOnExit(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      try {
        resolve({ code, ...(JSON.parse(line) as Record<string, unknown>) });
      } catch {
        reject(new Error(`child (${state}) exited ${code}: ${out} ${err.slice(0, 2000)}`));
      }
    });
  });
}

describe.concurrent("globalThis as another copy or a sandbox left it", () => {
  it.each(STATES)(
    "%s: the SDK imports, v1 and v1beta1 calls succeed, one deprecation warning",
    async (state) => {
      const result = await runChild(state);
      expect(result).toEqual({
        code: 0,
        state,
        v1: "o",
        v1beta1: "ok",
        deprecationWarnings: 1,
      });
    },
    60_000,
  );
});
