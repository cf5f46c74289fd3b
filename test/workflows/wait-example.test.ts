/** examples/wait-until-ready.ts runs as a user runs it, against a local API walking a Deployment through statuses. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "../helpers/revisions.js";
import { useWaiterServer } from "./waiter-harness.js";
import type { Step } from "./sequence.js";

const { ctx, workflows } = useWaiterServer();

function run(steps: Step[], args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  workflows(steps); // installs the sequence on the server
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(ROOT, "examples/wait-until-ready.ts"), ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ASTRO_API_TOKEN: "example-token-value",
          ASTRO_ORGANIZATION_ID: "org-1",
          ASTRO_BASE_URL: ctx.server.url,
          POLL_MIN_MS: "20",
          POLL_MAX_MS: "40",
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

it("prints each poll and exits 0 once the Deployment is ready", async () => {
  const result = await run(["CREATING", "UNHEALTHY", "HEALTHY"], ["dep-1"]);
  expect(result, result.stderr).toMatchObject({ code: 0 });
  expect(result.stdout.trim().split("\n")).toEqual([
    "poll 1: CREATING",
    "poll 2: UNHEALTHY",
    "poll 3: HEALTHY",
    "my-resource is HEALTHY",
  ]);
  expect(ctx.server.received.map((r) => r.url)).toEqual(
    Array(3).fill("/v1/organizations/org-1/deployments/dep-1"),
  );
});

it("exits 2 on a timeout and 1 when the API refuses", async () => {
  const timeout = await run(["CREATING"], ["dep-1", String(0.5 / 60)]);
  expect(timeout.code).toBe(2);
  expect(timeout.stderr).toMatch(/^timeout: deploymentReady of dep-1 timed out \(last status CREATING/m);
  const refused = await run([{ http: 403, body: { message: "no access", requestId: "r" } }], ["dep-1"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/^failed: deploymentReady of dep-1 failed .*403 .*no access/m);
  expect(refused.stdout + refused.stderr).not.toContain("example-token-value");
});
