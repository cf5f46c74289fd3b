/**
 * Every example in examples/ runs here, as a user runs it (a Node process with the tsx loader,
 * configured by environment variables): against the Prism mock of the pinned documents, and
 * against a recording server for the failures the examples handle. Examples cannot rot.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAstroMock, type AstroMock } from "../../src/mock/index.js";
import { json } from "../helpers/client.js";
import { startRecordingServer, type Received, type RecordingServer } from "../helpers/recording-server.js";
import { ROOT } from "../helpers/revisions.js";

const TOKEN = "example-token-value";

let mock: AstroMock;
let server: RecordingServer;
let dir: string;

beforeAll(async () => {
  [mock, server, dir] = await Promise.all([
    startAstroMock(),
    startRecordingServer(),
    mkdtemp(join(tmpdir(), "astro-examples-")),
  ]);
});

afterAll(async () => {
  await Promise.all([mock?.close(), server?.close(), dir && rm(dir, { recursive: true, force: true })]);
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `examples/<file>` with the examples' environment pointing at `baseUrl`. */
function example(
  file: string,
  args: string[],
  baseUrl: string,
  env: Record<string, string> = {},
  node: string[] = [],
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", ...node, join("examples", file), ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ASTRO_API_TOKEN: TOKEN,
          ASTRO_ORGANIZATION_ID: "org-1",
          ASTRO_BASE_URL: baseUrl,
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const local = () => server.url;
const requests = (method: string, prefix: string): Received[] =>
  server.received.filter((r) => r.method === method && r.url.startsWith(prefix));

/** Resets the recording server to `handler`, forgetting what it received. */
function serve(handler: Parameters<RecordingServer["handle"]>[0]): void {
  server.received.length = 0;
  server.handle(handler);
}

it("runs every example in examples/", async () => {
  // A new example needs a test here.
  expect((await readdir(join(ROOT, "examples"))).filter((f) => f.endsWith(".ts")).sort()).toEqual([
    "create-team.ts",
    "deploy-dags.ts", // runs in test/workflows/deploy-example.test.ts
    "list-deployments.ts",
    "mock-in-test.ts",
    "rotate-token.ts",
    "wait-until-ready.ts", // runs in test/workflows/wait-example.test.ts
  ]);
});

describe("list-deployments.ts", () => {
  it("lists the mock's deployments", async () => {
    const run = await example("list-deployments.ts", [], mock.url);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/^My deployment\s+[A-Z]+\s+\S+$/m);
    expect(run.stdout).toMatch(/^\d+ deployments?$/m);
  });

  it("walks every page of a longer list, with the token and Organization from the environment", async () => {
    serve((request, res) => {
      const url = new URL(request.url, "http://x");
      const offset = Number(url.searchParams.get("offset"));
      const limit = Number(url.searchParams.get("limit"));
      const deployments = Array.from({ length: Math.max(0, Math.min(limit, 250 - offset)) }, (_, i) => ({
        id: `d${offset + i}`,
        name: `deployment-${offset + i}`,
        status: "HEALTHY",
      }));
      json(res, 200, { deployments, offset, limit, totalCount: 250 });
    });
    const run = await example("list-deployments.ts", [], local());
    expect(run, run.stderr).toMatchObject({ code: 0 });
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(251);
    expect(lines.at(-1)).toBe("250 deployments");
    expect(server.received.map((r) => r.url)).toEqual(
      [0, 100, 200].map((offset) => `/v1/organizations/org-1/deployments?offset=${offset}&limit=100`),
    );
    for (const r of server.received) {
      expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(r.headers["x-api-version"]).toBe("1.0");
    }
  });
});

describe("create-team.ts", () => {
  it("creates a team on the mock", async () => {
    const run = await example("create-team.ts", ["platform"], mock.url);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/^created team My Team \(\S+\)$/m);
  });

  it("reports an existing team (409) without failing", async () => {
    serve((_, res) => json(res, 409, { message: "Team name already in use", requestId: "req-409" }));
    const run = await example("create-team.ts", ["platform"], local());
    expect(run, run.stderr).toMatchObject({ code: 0 });
    expect(run.stdout).toContain("team platform already exists: Team name already in use");
    expect(JSON.parse(server.received[0]!.body)).toEqual({
      name: "platform",
      description: "Created by examples/create-team.ts",
    });
  });

  it("fails on a 5xx, which a create never retries, naming the request", async () => {
    serve((_, res) => json(res, 503, { message: "try later", requestId: "req-503" }));
    const run = await example("create-team.ts", [], local());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^InternalServerError: 503 .*try later.*requestId req-503.*not retried/m);
    expect(requests("POST", "/v1/organizations/org-1/teams")).toHaveLength(1);
  });
});

describe("rotate-token.ts", () => {
  it("rotates a token on the mock and stores the new value privately", async () => {
    const file = join(dir, "mock-token");
    const run = await example("rotate-token.ts", ["tok-1"], mock.url, { ASTRO_TOKEN_FILE: file });
    expect(run, run.stderr).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/^rotated My token: \S+ → \S+; the new value is in /m);
    expect(await readFile(file, "utf8")).toBe("token\n");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("never prints the new value, and with --self switches the client to it", async () => {
    const file = join(dir, "self-token");
    serve((request, res) => {
      if (request.method === "POST")
        json(res, 200, { name: "ci", shortToken: "new", token: "s3cr3t-new-value" });
      else
        json(res, 200, {
          name: "ci",
          shortToken: request.headers.authorization?.includes("s3cr3t") ? "new" : "old",
        });
    });
    const run = await example("rotate-token.ts", ["tok-1", "--self"], local(), { ASTRO_TOKEN_FILE: file });
    expect(run, run.stderr).toMatchObject({ code: 0 });
    expect(run.stdout).toContain("rotated ci: old → new");
    expect(run.stdout).toContain("the client now uses the new value: new");
    expect(run.stdout + run.stderr).not.toContain("s3cr3t");
    expect(await readFile(file, "utf8")).toBe("s3cr3t-new-value\n");
    expect(server.received.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ["GET", "/v1/organizations/org-1/tokens/tok-1", `Bearer ${TOKEN}`],
      ["POST", "/v1/organizations/org-1/tokens/tok-1/rotate", `Bearer ${TOKEN}`],
      ["GET", "/v1/organizations/org-1/tokens/tok-1", "Bearer s3cr3t-new-value"],
    ]);
  });

  /** Runs the example against a server whose rotate fails with a 5xx: it must fail, rotating once. */
  async function failedRotation(handler: Parameters<RecordingServer["handle"]>[0]): Promise<Run> {
    serve(handler);
    const run = await example("rotate-token.ts", ["tok-1"], local(), {
      ASTRO_TOKEN_FILE: join(dir, "unused"),
    });
    expect(run.code).toBe(1);
    expect(requests("POST", "/v1/organizations/org-1/tokens/tok-1/rotate")).toHaveLength(1);
    return run;
  }

  it("after a 5xx, looks at the token instead of rotating again: not rotated", async () => {
    const run = await failedRotation((request, res) => {
      if (request.method === "POST") json(res, 503, { message: "unavailable" });
      else json(res, 200, { name: "ci", shortToken: "old" });
    });
    expect(run.stderr).toContain("the token was not rotated");
    expect(requests("GET", "/v1/organizations/org-1/tokens/tok-1")).toHaveLength(2);
  });

  it("after a 5xx, tells when the token was rotated and its value lost", async () => {
    let rotated = false;
    const run = await failedRotation((request, res) => {
      if (request.method === "POST") {
        rotated = true;
        json(res, 502, { message: "bad gateway" });
      } else if (rotated) json(res, 401, { message: "token expired or invalid" });
      else json(res, 200, { name: "ci", shortToken: "old" });
    });
    expect(run.stderr).toContain("the token WAS rotated but its new value was lost");
  });
});

describe("mock-in-test.ts", () => {
  it("passes its own tests, run with node:test against a mock it starts", async () => {
    const run = await example("mock-in-test.ts", [], mock.url, {}, ["--test", "--test-reporter=tap"]);
    expect(run, run.stdout + run.stderr).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/^# pass 3$/m);
    expect(run.stdout).toMatch(/^# fail 0$/m);
  });
});
