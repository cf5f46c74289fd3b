import { execFile } from "node:child_process";
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
});
