import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useRecordingServer } from "../../helpers/client.js";
import { ROOT } from "../../helpers/revisions.js";
import { printedWarnings } from "../../helpers/warnings.js";

const run = promisify(execFile);

/** The scripts use the v1beta1 client: their stderr holds its deprecation warning and nothing else. */
function expectOnlyDeprecationWarning(stderr: string): void {
  const { warnings, rest } = printedWarnings(stderr);
  // Issue #26 item 3: the transport adds an abort listener per call to the caller's signal, and
  // Node warns past 10 (the second script aborts 50 calls with one signal). Allowed until fixed.
  const known = warnings.filter(
    (warning) =>
      warning.name !== "MaxListenersExceededWarning" ||
      !warning.message.includes("abort listeners added to [AbortSignal]"),
  );
  expect(known.map((warning) => warning.code)).toEqual(["ASTRO_V1BETA1_DEPRECATED"]);
  expect(rest).toBe("");
}
const ctx = useRecordingServer();

describe("process lifetime", () => {
  it("a script awaiting queued calls is not ended by an empty event loop", async () => {
    const tsx = join(ROOT, "node_modules", ".bin", "tsx");
    const script = join(ROOT, "test", "fixtures", "throttled-script.ts");
    const { stdout, stderr } = await run(tsx, [script, ctx.server.url, "12"], { timeout: 60_000 });
    expect(stdout.trim()).toBe("done 12");
    expectOnlyDeprecationWarning(stderr);
    expect(ctx.server.received).toHaveLength(12);
  }, 90_000);

  it("a script exits promptly after its last call settles, whatever it aborted while queued (#14 class 9)", async () => {
    const tsx = join(ROOT, "node_modules", ".bin", "tsx");
    const script = join(ROOT, "test", "fixtures", "throttle-aborted-script.ts");
    const child = spawn(tsx, [script, ctx.server.url], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    const exitedAt = performance.timeOrigin + performance.now();
    expect(code, stderr).toBe(0);
    expectOnlyDeprecationWarning(stderr);
    const settledAt = Number(/settled ([\d.]+)/.exec(stdout)?.[1]);
    // Its only unit comes back about a second after the last call settled: nothing may wait for
    // that (aborted waiters used to keep a timer referenced: ≈ 1.2 s here; now ≈ 0.2 s).
    expect(exitedAt - settledAt).toBeLessThan(700);
    expect(ctx.server.received).toHaveLength(1);
  }, 90_000);
});
