/**
 * examples/deploy-dags.ts runs as a user runs it (node with the tsx loader, configured by the
 * environment) against a local Astro API and a local blob store.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { json } from "../helpers/client.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recording-server.js";
import { ROOT } from "../helpers/revisions.js";
import { startBlobServer, type BlobServer } from "./blob-server.js";

const TOKEN = "example-token-value";
let api: RecordingServer;
let blob: BlobServer;
let dir: string;

beforeAll(async () => {
  [api, blob, dir] = await Promise.all([
    startRecordingServer(),
    startBlobServer(),
    mkdtemp(join(tmpdir(), "astro-deploy-example-")),
  ]);
  await mkdir(join(dir, "dags"));
  await writeFile(join(dir, "dags/etl.py"), "x = 1\n".repeat(200_000));
});

afterAll(async () => {
  await Promise.all([api?.close(), blob?.close(), dir && rm(dir, { recursive: true, force: true })]);
});

/** The Astro side: a Deployment that takes the finalized version on the read after FinalizeDeploy. */
function serveApi(dagsUploadUrl: string | undefined): void {
  api.received.length = 0;
  let version = "2026-11-30T09:00:00.0000000Z";
  api.handle((request, res) => {
    if (request.method === "POST" && request.url.endsWith("/deploys"))
      return json(res, 200, {
        id: "deploy-9",
        status: "INITIALIZED",
        ...(dagsUploadUrl ? { dagsUploadUrl } : {}),
      });
    if (request.method === "POST") {
      version = (JSON.parse(request.body) as { dagTarballVersion: string }).dagTarballVersion;
      return json(res, 200, { id: "deploy-9", status: "DEPLOYED" });
    }
    if (request.url.endsWith("/deploys/deploy-9"))
      return json(res, 200, { id: "deploy-9", status: "DEPLOYED" });
    return json(res, 200, {
      id: "dep-1",
      status: "HEALTHY",
      isDagDeployEnabled: dagsUploadUrl !== undefined,
      dagTarballVersion: version,
    });
  });
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(ROOT, "examples/deploy-dags.ts"), ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ASTRO_API_TOKEN: TOKEN,
          ASTRO_ORGANIZATION_ID: "org-1",
          ASTRO_BASE_URL: api.url,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

it("deploys a dags folder with a progress bar, then reports the version", async () => {
  serveApi(`${blob.url}/dags/dep-1?sv=1&sig=SECRET`);
  const result = await run(["dep-1", join(dir, "dags")]);
  expect(result, result.stderr).toMatchObject({ code: 0 });
  const lines = result.stdout.trim().split("\n");
  expect(lines[0]).toBe("pack");
  expect(lines).toContain("upload (deploy deploy-9)");
  const bars = lines.filter((l) => l.startsWith("["));
  expect(bars.length).toBeGreaterThanOrEqual(2);
  expect(bars.at(-1)).toMatch(/^\[#{30}\] 100% of \d+\.\d MB$/);
  expect(lines).toContain("wait-live (deploy deploy-9)");
  expect(lines.some((l) => /^ {2}poll 1: deploy DEPLOYED, Deployment HEALTHY$/.test(l))).toBe(true);
  expect(lines.at(-1)).toMatch(/^deployed 1 files \(\d+\.\d MB\) as version 2026-12-01T10:00:0\d\.0000000Z$/);
  expect(result.stdout + result.stderr).not.toMatch(/SECRET|example-token-value/);
  expect(blob.received.at(-1)!.headers.authorization).toBeUndefined();
});

it("exits 1 naming the step when DAG deploys are disabled", async () => {
  serveApi(undefined);
  const result = await run(["dep-1", join(dir, "dags")]);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(
    /^AstroDeployError at preflight: deployDags refused before creating a deploy: DAG deploys are not enabled on Deployment dep-1/m,
  );
  expect(api.received.map((r) => r.method)).toEqual(["GET"]);
});
