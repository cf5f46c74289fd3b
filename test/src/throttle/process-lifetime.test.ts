import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useRecordingServer } from "../../helpers/client.js";
import { ROOT } from "../../helpers/revisions.js";

const run = promisify(execFile);
const ctx = useRecordingServer();

describe("process lifetime", () => {
  it("a script awaiting queued calls is not ended by an empty event loop", async () => {
    const tsx = join(ROOT, "node_modules", ".bin", "tsx");
    const script = join(ROOT, "test", "fixtures", "throttled-script.ts");
    const { stdout } = await run(tsx, [script, ctx.server.url, "12"], { timeout: 60_000 });
    expect(stdout.trim()).toBe("done 12");
    expect(ctx.server.received).toHaveLength(12);
  }, 90_000);

  it("a script exits promptly after its last call settles, whatever it aborted while queued (#14 class 9)", async () => {
    const tsx = join(ROOT, "node_modules", ".bin", "tsx");
    const script = join(ROOT, "test", "fixtures", "throttle-aborted-script.ts");
    const child = spawn(tsx, [script, ctx.server.url], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    const exitedAt = performance.timeOrigin + performance.now();
    expect(code).toBe(0);
    const settledAt = Number(/settled ([\d.]+)/.exec(stdout)?.[1]);
    // Its only unit comes back about a second after the last call settled: nothing may wait for
    // that (aborted waiters used to keep a timer referenced: ≈ 1.2 s here; now ≈ 0.2 s).
    expect(exitedAt - settledAt).toBeLessThan(700);
    expect(ctx.server.received).toHaveLength(1);
  }, 90_000);
});
