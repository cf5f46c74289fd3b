/**
 * The deprecated v1beta1 entry: today's `{ platform, iam, stats, close }` surface, one deprecation
 * warning per process, the workflow methods on `platform`, and one runtime with the v1 client (a
 * token's budget is shared across both generations).
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAstroClient } from "../../src/index.js";
import {
  createAstroClient as createV1beta1Client,
  operations,
  V1BETA1_DEPRECATION_CODE,
} from "../../src/v1beta1/index.js";
import { json, useRecordingServer } from "../helpers/client.js";
import { ROOT } from "../helpers/revisions.js";
import { maxInWindow } from "../helpers/windows.js";

const ctx = useRecordingServer();

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(ROOT, "test/fixtures/deprecation-script.ts"), ...args],
      { cwd: ROOT, timeout: 60_000, env: { ...process.env, NODE_OPTIONS: "" } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe("the v1beta1 deprecation warning", () => {
  it("appears once per process however many v1beta1 clients it creates, naming January 2027", async () => {
    const { code, stdout, stderr } = await run(["v1beta1", "v1", "v1beta1", "v1beta1"]);
    expect(code, stderr).toBe(0);
    expect(stdout.trim()).toBe("created 4");
    expect(stderr.split(V1BETA1_DEPRECATION_CODE).length - 1).toBe(1);
    expect(stderr).toMatch(/DeprecationWarning: .*v1beta1.*January 2027.*astro-api-client/);
  });

  it("never appears for the v1 client alone", async () => {
    const { code, stdout, stderr } = await run(["v1", "v1"]);
    expect(code, stderr).toBe(0);
    expect(stdout.trim()).toBe("created 2");
    expect(stderr).not.toContain(V1BETA1_DEPRECATION_CODE);
  });
});

describe("the v1beta1 surface", () => {
  it("keeps platform and iam at /platform/v1beta1 and /iam/v1beta1, without X-API-Version", async () => {
    const astro = createV1beta1Client({
      token: "t",
      baseUrl: ctx.server.url,
      organizationId: "o",
      throttle: false,
    });
    expect(Object.keys(astro).sort()).toEqual(["close", "iam", "platform", "stats"]);
    await astro.platform.listDeployments();
    await astro.iam.listTeams();
    expect(ctx.server.received.map((r) => [r.url, r.headers["x-api-version"]])).toEqual([
      ["/platform/v1beta1/organizations/o/deployments", undefined],
      ["/iam/v1beta1/organizations/o/teams", undefined],
    ]);
    expect(operations).toHaveLength(59);
  });

  it("has the workflow methods on platform", async () => {
    const astro = createV1beta1Client({
      token: "t",
      baseUrl: ctx.server.url,
      organizationId: "o",
      throttle: false,
    });
    ctx.server.handle((_, res) => json(res, 200, { id: "c1", status: "CREATED" }));
    const cluster = await astro.platform.waitUntilClusterReady({ clusterId: "c1" }, { maxWaitMs: 5_000 });
    expect(cluster.status).toBe("CREATED");
    expect(ctx.server.received[0]!.url).toBe("/platform/v1beta1/organizations/o/clusters/c1");
    for (const name of [
      "waitUntilDeploymentReady",
      "waitUntilDeployFinished",
      "waitUntilDeleted",
      "deployDags",
    ] as const)
      expect(astro.platform[name]).toBeTypeOf("function");
  });
});

describe("one runtime for both generations", () => {
  it("shares a token's budget between a v1 and a v1beta1 client of the process", async () => {
    const options = { token: "shared-budget-token", baseUrl: ctx.server.url, organizationId: "o" };
    // Strict arrival (the guarantee asserted below); the default may let a window over, answered 429.
    const throttle = { limits: { get: 4 }, networkDelayMs: "unknown" as const };
    const v1 = createAstroClient({ ...options, throttle });
    const v1beta1 = createV1beta1Client({ ...options, throttle });
    await Promise.all([
      ...Array.from({ length: 6 }, () => v1.listDeployments()),
      ...Array.from({ length: 6 }, () => v1beta1.platform.listDeployments()),
    ]);
    const times = ctx.server.received.map((r) => r.startedAt);
    expect(times).toHaveLength(12);
    // Each client alone would send 4 in the first second, 8 together: one budget sends 4.
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(4);
    expect(ctx.server.received.filter((r) => r.url.startsWith("/v1/"))).toHaveLength(6);
    await Promise.all([v1.close(), v1beta1.close()]);
  });
});
