/**
 * The SDK's example scripts against the stateful fake (`astro-api-client/testing`), run as a user
 * runs them (a Node process, configured by environment variables): what they create, rotate,
 * wait for or deploy is then checked in the fake's state, which the Prism mock of
 * examples.test.ts cannot show. (mock-in-test.ts is about the mock itself and stays there.)
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAstroClient, type AstroClient } from "../../src/index.js";
import { startAstroFake, type AstroFake } from "../../src/testing/index.js";
import { ROOT } from "../helpers/revisions.js";

let fake: AstroFake;
let astro: AstroClient;
let dir: string;

beforeAll(async () => {
  [fake, dir] = await Promise.all([startAstroFake(), mkdtemp(join(tmpdir(), "astro-examples-fake-"))]);
  astro = createAstroClient({ token: fake.token, organizationId: fake.organizationId, baseUrl: fake.url });
});

afterAll(async () => {
  await Promise.all([fake?.close(), dir && rm(dir, { recursive: true, force: true })]);
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `examples/<file>` against the fake. */
function example(file: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join("examples", file), ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ASTRO_API_TOKEN: fake.token,
          ASTRO_ORGANIZATION_ID: fake.organizationId,
          ASTRO_BASE_URL: fake.url,
          ...env,
        },
        timeout: 90_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const org = () => `/organizations/${fake.organizationId}`;

/** A new workspace and a deployment in it, created through the API (so it starts CREATING). */
async function newDeployment(name: string): Promise<string> {
  const { data: workspace } = await astro.createWorkspace({ body: { name: `${name}-workspace` } });
  const { data } = await astro.createDeployment({
    body: { type: "STANDARD", name, workspaceId: workspace.id },
  });
  return data.id;
}

describe("list-deployments.ts", () => {
  it("walks every page of what exists", async () => {
    const workspaceId = String(fake.state.seed(`${org()}/workspaces`, { name: "many" }).id);
    for (let i = 0; i < 150; i++)
      fake.state.seed(`${org()}/deployments`, { name: `deployment-${i}`, workspaceId });
    const before = fake.requests.length;
    const run = await example("list-deployments.ts", []);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    const total = fake.state.list(`${org()}/deployments`).length;
    expect(run.stdout.trim().split("\n").at(-1)).toBe(`${total} deployments`);
    expect(run.stdout).toMatch(/^deployment-149\s+HEALTHY\s+\S+$/m);
    const pages = fake.requests.slice(before).filter((r) => r.operationId === "ListDeployments");
    expect(pages).toHaveLength(Math.ceil(total / 100));
    expect(pages.every((r) => r.status === 200 && r.apiVersion === "1.0")).toBe(true);
  });
});

describe("create-team.ts", () => {
  it("creates a team the fake then holds", async () => {
    const run = await example("create-team.ts", ["platform"]);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    const [, id] = /^created team platform \((\S+)\)$/m.exec(run.stdout) ?? [];
    expect(fake.state.get(`${org()}/teams/${id}`)).toMatchObject({
      name: "platform",
      description: "Created by examples/create-team.ts",
    });
  });
});

describe("rotate-token.ts", () => {
  it("rotates a token and stores the new value privately, never printing it", async () => {
    const token = fake.state.seed(`${org()}/tokens`, { name: "ci", token: "s3cr3t-value-of-ci" });
    const file = join(dir, "token");
    const run = await example("rotate-token.ts", [String(token.id)], { ASTRO_TOKEN_FILE: file });
    expect(run, run.stderr).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/^rotated ci: \S+ → \S+; the new value is in /m);
    expect((await readFile(file, "utf8")).trim()).not.toBe("");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(run.stdout + run.stderr).not.toContain("s3cr3t");
  });
});

describe("wait-until-ready.ts", () => {
  it("polls a new deployment until it is HEALTHY", async () => {
    const deploymentId = await newDeployment("waited");
    const run = await example("wait-until-ready.ts", [deploymentId, "1"], {
      POLL_MIN_MS: "50",
      POLL_MAX_MS: "100",
    });
    expect(run, run.stderr).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/^poll 1: CREATING\npoll 2: HEALTHY\nwaited is HEALTHY$/m);
  });
});

describe("deploy-dags.ts", () => {
  it(
    "deploys a folder end to end: the deployment then runs that DAG version",
    { timeout: 120_000 },
    async () => {
      const deploymentId = await newDeployment("deployed");
      fake.settle();
      const dags = join(dir, "dags");
      await mkdir(join(dags, "sub"), { recursive: true });
      await writeFile(join(dags, "a.py"), "# a\n");
      await writeFile(join(dags, "sub", "b.py"), "# b\n");
      const run = await example("deploy-dags.ts", [deploymentId, dags]);
      expect(run, run.stderr).toMatchObject({ code: 0 });
      const [, version] = /^deployed 2 files \([\d.]+ MB\) as version (\S+)$/m.exec(run.stdout) ?? [];
      expect(run.stdout).toMatch(/^\[#{30}\] 100% of /m);
      expect(fake.state.get(`${org()}/deployments/${deploymentId}`)).toMatchObject({
        dagTarballVersion: version,
      });
      // The blob store got the tarball without the Astro token.
      const upload = fake.uploads.at(-1)!;
      expect(upload).toMatchObject({ method: "PUT", status: 201, versionId: version });
      expect(upload.headers.authorization).toBeUndefined();
    },
  );
});
