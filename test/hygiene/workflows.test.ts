/**
 * The GitHub workflows are valid YAML, call only npm scripts that exist and that this suite runs,
 * and test every Node line package.json's "engines" declares.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import semver from "semver";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../helpers/revisions.js";
import { howExercised, npmRunTargets, readManifest, testStrings, type Manifest } from "./npm-scripts.js";

const WORKFLOWS = join(ROOT, ".github", "workflows");

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  "runs-on": string;
  strategy?: { matrix?: { node?: unknown[] } };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

let manifest: Manifest;
const workflows = new Map<string, Workflow>();
let tests: Map<string, string[]>;

beforeAll(async () => {
  manifest = await readManifest(ROOT);
  for (const file of (await readdir(WORKFLOWS)).filter((name) => /\.ya?ml$/.test(name)).sort()) {
    // `uniqueKeys` and strict parsing: a duplicated key or a YAML error fails here.
    const doc = parse(await readFile(join(WORKFLOWS, file), "utf8"), {
      uniqueKeys: true,
      strict: true,
    }) as Workflow;
    workflows.set(file, doc);
  }
  // This file names scripts in its expectations; it must not count as running them.
  tests = await testStrings(ROOT, join(ROOT, "test"));
  tests.delete(join("test", "hygiene", "workflows.test.ts"));
});

/** Every string in a workflow step that is a command: `run`, and `with` values of actions that run one. */
function commands(step: Step): string[] {
  const withCommands = Object.values(step.with ?? {}).filter(
    (value): value is string => typeof value === "string",
  );
  return [
    ...(step.run === undefined ? [] : [step.run]),
    ...withCommands.filter((value) => /\bnpm\b/.test(value)),
  ];
}

function allSteps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

describe("the workflows", () => {
  it("are ci.yml, deep-tests.yml, release.yml and spec-drift.yml, each a valid workflow with jobs and steps", () => {
    expect([...workflows.keys()]).toEqual(["ci.yml", "deep-tests.yml", "release.yml", "spec-drift.yml"]);
    for (const [file, workflow] of workflows) {
      expect(typeof workflow.name, file).toBe("string");
      expect(Object.keys(workflow.on).length, file).toBeGreaterThan(0);
      for (const job of Object.values(workflow.jobs)) {
        expect(job["runs-on"], file).toBeTruthy();
        expect(job.steps.length, file).toBeGreaterThan(0);
        for (const step of job.steps)
          expect(step.run !== undefined || step.uses !== undefined, file).toBe(true);
      }
    }
  });

  it("call only npm scripts that exist in package.json and that this suite runs", () => {
    const called = new Map<string, string>();
    for (const [file, workflow] of workflows) {
      for (const step of allSteps(workflow)) {
        for (const command of commands(step))
          for (const name of npmRunTargets(command)) called.set(name, file);
      }
    }
    expect([...called.keys()]).toEqual(expect.arrayContaining(["test", "check:package", "docs"]));
    for (const [name, file] of called) {
      expect(manifest.scripts[name], `${file} runs npm script "${name}"`).toBeDefined();
      expect(
        howExercised(name, manifest.scripts, tests),
        `no test runs "${name}" (called by ${file})`,
      ).toBeDefined();
    }
  });

  it("run nothing but npm in ci.yml, deep-tests.yml and release.yml, apart from installing redis-server", () => {
    for (const file of ["ci.yml", "deep-tests.yml", "release.yml"]) {
      for (const step of allSteps(workflows.get(file)!)) {
        if (step.run === undefined) continue;
        if (/^sudo apt-get update -qq && sudo apt-get install -y -qq redis-server$/.test(step.run)) continue;
        expect(step.run, file).toMatch(/^npm (ci|test|run [\w:.-]+)$/);
      }
    }
  });
});

describe("which scripts the suite runs", () => {
  const scripts = {
    test: "tsc && npm run lint",
    lint: "eslint .",
    docs: "typedoc",
    mock: "tsx scripts/mock/serve.ts",
  };

  it("follows npm run through the scripts from `test`", () => {
    expect(howExercised("lint", scripts, new Map())).toBe("npm test");
    expect(howExercised("docs", scripts, new Map())).toBeUndefined();
  });

  it("counts argument lists, command strings and a tsx script's file named in code, not in comments", async () => {
    const dir = await mkdtemp(join(tmpdir(), "astro-scripts-"));
    try {
      await writeFile(
        join(dir, "comment.test.ts"),
        "// `npm run docs` builds it\n/* npm run docs */\nexport {};\n",
      );
      expect(howExercised("docs", scripts, await testStrings(dir, dir))).toBeUndefined();
      await writeFile(
        join(dir, "argv.test.ts"),
        'run("npm", ["run", "--silent", "docs", "--", "--out", "x"]);\n',
      );
      expect(howExercised("docs", scripts, await testStrings(dir, dir))).toBe("argv.test.ts");
      await writeFile(join(dir, "file.test.ts"), 'const cli = join(ROOT, "scripts", "mock", "serve.ts");\n');
      expect(howExercised("mock", scripts, await testStrings(dir, dir))).toBe("file.test.ts");
      expect(npmRunTargets("npm ci && npm test && npm run --silent specs:check -- --markdown")).toEqual([
        "specs:check",
        "test",
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("ci.yml", () => {
  it("runs on every push and pull request", () => {
    expect(Object.keys(workflows.get("ci.yml")!.on).sort()).toEqual(["pull_request", "push"]);
  });

  it("runs `npm test` on exactly the Node lines of package.json's engines, after installing redis-server", () => {
    const range = manifest.engines?.node;
    expect(range).toBeDefined();
    const test = workflows.get("ci.yml")!.jobs.test!;
    const lines = (test.strategy?.matrix?.node ?? []).map(Number);
    // One line per `||` alternative, and each tested line is the one an alternative starts at.
    const declared = range!.split("||").map((part) => semver.minVersion(part.trim())!.major);
    expect(lines.sort((a, b) => a - b)).toEqual(declared.sort((a, b) => a - b));
    for (const line of lines) expect(semver.intersects(range!, `${line}.x`), `Node ${line}`).toBe(true);
    const runs = test.steps.map((step) => step.run).filter(Boolean);
    expect(runs.indexOf("npm test")).toBeGreaterThan(runs.findIndex((run) => run!.includes("redis-server")));
    expect(runs).toContain("npm ci");
  });

  it("runs the package checks and builds the API reference once, outside the matrix", () => {
    const jobs = Object.values(workflows.get("ci.yml")!.jobs);
    const once = jobs.filter((job) => job.strategy?.matrix === undefined);
    const runs = once.flatMap((job) => job.steps.map((step) => step.run));
    expect(runs).toEqual(expect.arrayContaining(["npm run check:package", "npm run docs"]));
    const matrixRuns = jobs
      .filter((job) => job.strategy?.matrix)
      .flatMap((job) => job.steps.map((s) => s.run));
    expect(matrixRuns).not.toContain("npm run check:package");
  });
});

describe("deep-tests.yml", () => {
  it("runs `npm test` on a schedule with the property tests deeper than on each push", () => {
    const workflow = workflows.get("deep-tests.yml")!;
    expect(Object.keys(workflow.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    const [job, ...others] = Object.values(workflow.jobs);
    expect(others).toEqual([]);
    const depth = Number((job as Job & { env?: Record<string, string> }).env?.ASTRO_TEST_DEPTH);
    expect(depth).toBeGreaterThan(1);
    const runs = job!.steps.map((step) => step.run).filter(Boolean);
    expect(runs.indexOf("npm test")).toBeGreaterThan(runs.findIndex((run) => run!.includes("redis-server")));
    expect(runs.indexOf("npm test")).toBeGreaterThan(runs.indexOf("npm ci"));
  });
});

describe("release.yml", () => {
  const workflow = () => workflows.get("release.yml")!;

  it("runs on pushes to main with the OIDC token npm provenance needs", () => {
    expect(workflow().on).toEqual({ push: { branches: ["main"] } });
    expect(workflow().permissions).toMatchObject({
      "id-token": "write",
      contents: "write",
      "pull-requests": "write",
    });
  });

  it("versions and publishes through changesets/action with the release scripts and provenance on", () => {
    const action = allSteps(workflow()).find((step) => step.uses?.startsWith("changesets/action@"));
    expect(action?.with).toMatchObject({
      version: "npm run release:version",
      publish: "npm run release:publish",
    });
    const env = (action as { env?: Record<string, string> }).env;
    expect(env?.NPM_CONFIG_PROVENANCE).toBe("true");
    const runs = allSteps(workflow()).map((step) => step.run);
    expect(runs.indexOf("npm run check:package")).toBeGreaterThan(runs.indexOf("npm ci"));
    expect(runs.indexOf("npm run check:package")).toBeLessThan(allSteps(workflow()).indexOf(action!));
  });
});

describe("spec-drift.yml", () => {
  it("records a changeset from specs:update's output and puts it in the pull request", () => {
    const steps = allSteps(workflows.get("spec-drift.yml")!);
    const update = steps.findIndex((step) => step.run?.includes("npm run --silent specs:update"));
    const record = steps.findIndex((step) => step.run?.includes("npm run --silent drift:changeset"));
    expect(update).toBeGreaterThanOrEqual(0);
    expect(record).toBeGreaterThan(update);
    // The log specs:update wrote is the one drift:changeset reads.
    const log = /\| tee "([^"]+)"/.exec(steps[update]!.run!)?.[1];
    expect(log).toBeDefined();
    expect(steps[record]!.run).toContain(`--update-log "${log}"`);
    const pullRequest = steps.find((step) => step.uses?.startsWith("peter-evans/create-pull-request@"));
    expect(String(pullRequest?.with?.["add-paths"]).split("\n")).toContain(".changeset/");
  });
});
