/**
 * `npm run demo` as a person runs it: the tour on the in-process fake (no Prism, no token), in
 * this checkout and in a copy of the repository that has nothing beside it — no ../shared, no
 * cached documents, no network — as a fresh clone from the repository's public home has; and
 * `--live` without a token.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runProgram, type ProgramRun } from "../helpers/prism.js";
import { ROOT } from "../helpers/revisions.js";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** Runs `npm run demo -- …args` in `cwd`, without any Astro credentials. */
function demo(args: string[] = [], cwd = ROOT, env: NodeJS.ProcessEnv = {}): Promise<ProgramRun> {
  const clean: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: "false", ...env };
  delete clean.ASTRO_API_TOKEN;
  delete clean.ASTRO_ORGANIZATION_ID;
  return runProgram("npm", ["run", "--silent", "demo", "--", ...args], { cwd, env: clean });
}

/** Checks every line of the tour, with the numbers each step must show. */
function expectTour(run: ProgramRun): void {
  const { code, stdout, stderr } = run;
  expect(stderr).toBe("");
  expect(code, stdout).toBe(0);
  const id = "[\\w-]+";
  for (const line of [
    /^ {2}fake {15}baseUrl: "http:\/\/127\.0\.0\.1:\d+" {2}\(started in \d+ ms\)$/m,
    new RegExp(`^ {2}create workspace {3}createWorkspace → "demo-workspace" \\(${id}\\)$`, "m"),
    new RegExp(`^ {2}create deployment {2}createDeployment → "analytics" \\(${id}\\), status CREATING$`, "m"),
    /^ {2}wait until ready {3}waitUntilDeploymentReady: CREATING → CREATING → HEALTHY \(3 polls, [\d.]+ s\)$/m,
    /^ {2}list {15}paginate, 2 a page: 2 pages \(offset 0, 2\) → analytics, etl, reporting \(totalCount 3\)$/m,
    new RegExp(
      `^ {2}deploy DAGs {8}deployDags: 3 files \\([\\d.]+ kB\\), upload \\[#{10}\\] 100%, deploy ${id} DEPLOYED$`,
      "m",
    ),
    /^ {2}delete {13}deleteDeployment: attempt 1: connection dropped, attempt 2: 404 → success$/m,
  ])
    expect(stdout).toMatch(line);
  // Without the SDK the fake refuses what is over 25 in a second; through the SDK no second holds
  // more than 25 sends, and the default arrival model ("learned") may see some refused and
  // retried: the fake shares the demo's event loop, whose backlog no round trip predicts
  // (docs/throttle.md), and on a loaded machine that backlog bunches arrivals. How many is a
  // timing measure (npm run bench); the invariant is fewer than plain fetch, all answered.
  const raw =
    /^ {2}rate limit {9}60 GETs at once with plain fetch: (\d+) answered, (\d+) refused with 429/m.exec(
      stdout,
    );
  expect(raw, stdout).not.toBeNull();
  // Sent at once, they reach the fake within a second or so: some are refused.
  expect(Number(raw![1]) + Number(raw![2])).toBe(60);
  expect(Number(raw![2])).toBeGreaterThan(0);
  const sdk =
    /^ {2}throttle {11}60 GETs at once through the SDK: all answered in ([\d.]+) s, at most (\d+) sent in any second, (\d+) refused \(and retried\)$/m.exec(
      stdout,
    );
  expect(sdk, stdout).not.toBeNull();
  expect(Number(sdk![1])).toBeGreaterThanOrEqual(2);
  expect(Number(sdk![2])).toBeLessThanOrEqual(25);
  expect(Number(sdk![3])).toBeLessThan(Number(raw![2]));
  expect(stdout).not.toContain("demo-token");
  // The fake runs in the demo's own process: no Prism was started.
  expect(run.prism).toEqual([]);
}

/**
 * Loaded into every Node process of the copy's run (`NODE_OPTIONS`): a connection to anything but
 * loopback fails and is reported on stderr, so "no network" is checked rather than assumed.
 */
const LOOPBACK_ONLY = `
import net from "node:net";
const connect = net.Socket.prototype.connect;
const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost", undefined]);
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === "object" && first !== null ? first : { port: first, host: args[1] };
  if (options.path === undefined && !LOOPBACK.has(options.host)) {
    process.stderr.write("network used: " + options.host + "\\n");
    throw new Error("no network in this test: " + options.host);
  }
  return connect.apply(this, args);
};
`;

/** The repository's tracked files, as a clone has them, in `dir` (node_modules linked, not copied). */
async function copyRepository(dir: string): Promise<void> {
  const { stdout } = await promisify(execFile)("git", ["ls-files", "-z"], { cwd: ROOT, maxBuffer: 16 << 20 });
  for (const file of stdout.split("\0").filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue;
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await cp(join(ROOT, file), join(dir, file));
  }
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
}

describe("npm run demo", () => {
  it(
    "tours the v1 client on the in-process fake and exits 0, with no Prism",
    { timeout: 120_000 },
    async () => expectTour(await demo()),
  );

  it(
    "runs in a copy of the repository with no ../shared, no cached documents and no network",
    { timeout: 180_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "astro-demo-clone-"));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const repo = join(dir, "astro-api-client");
      await copyRepository(repo);
      const empty = join(dir, "no-documents");
      await mkdir(empty);
      await writeFile(join(dir, "loopback-only.mjs"), LOOPBACK_ONLY);
      expect(existsSync(join(repo, "..", "shared"))).toBe(false);
      expect(existsSync(join(repo, ".cache"))).toBe(false);
      expect(existsSync(join(repo, "generated", "v1-fake-model.ts"))).toBe(true);
      const run = await demo([], repo, {
        ASTRO_OPENAPI_DIR: empty,
        NODE_OPTIONS: `--import ${join(dir, "loopback-only.mjs")}`,
      });
      expectTour(run);
      // Nothing was downloaded or cached on the way.
      expect(existsSync(join(repo, ".cache"))).toBe(false);
    },
  );

  it("--live without ASTRO_API_TOKEN says exactly what to set, and calls nothing", async () => {
    const { code, stdout, stderr, prism } = await demo(["--live"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("npm run demo -- --live reads from the real Astro API and needs an API token:");
    expect(stderr).toContain("export ASTRO_API_TOKEN=<an Organization, Workspace or Deployment API token>");
    expect(stderr).toContain("export ASTRO_ORGANIZATION_ID=<your Organization's ID>");
    expect(stderr).toContain("It only lists and reads; it changes nothing.");
    expect(prism).toEqual([]);
  });
});
