/**
 * The published package, as a user gets it: built (unless `dist/` is already the build of these
 * sources) and checked once by `npm run check:package`
 * (build, publint, attw) as CI and the release workflow run it, packed, installed into a throwaway project, then imported, required
 * and type-checked there, on this machine's Node (which package.json's "engines" must admit).
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import semver from "semver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../../src/index.js";
import { json } from "../helpers/client.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recording-server.js";
import { maxInWindow } from "../helpers/windows.js";
import { ROOT } from "../helpers/revisions.js";
import { distIsFresh } from "../../scripts/build/stamp.js";
import { bundle } from "../runtimes/bundle.js";

const exec = promisify(execFile);
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const TOKEN = "pack-test-token";

let dir: string;
let project: string;
let tarball: string;
let server: RecordingServer;
/** What `npm run check:package` printed: the reports of publint and Are The Types Wrong. */
let checkReport: string;

/** Runs a command, failing with everything it printed. */
async function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  try {
    const { stdout } = await exec(command, args, {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}\n${stderr ?? ""}`, {
      cause: error,
    });
  }
}

const files: Record<string, string> = {
  // ESM consumer: one call through each entry against the server given as argv[2].
  "esm.mjs": `
import { createAstroClient, AstroApiError } from "astro-api-client";
import { createAstroClient as createV1beta1Client } from "astro-api-client/v1beta1";
const astro = createAstroClient({ token: ${JSON.stringify(TOKEN)}, baseUrl: process.argv[2] });
const { data } = await astro.GET("/organizations");
const old = await createV1beta1Client({ token: ${JSON.stringify(TOKEN)}, baseUrl: process.argv[2] }).platform.GET("/organizations");
console.log(JSON.stringify({ data, old: old.data, errors: typeof AstroApiError }));
`,
  // CommonJS consumer: the same through require().
  "cjs.cjs": `
const { createAstroClient, AstroApiError } = require("astro-api-client");
const { createAstroClient: createV1beta1Client } = require("astro-api-client/v1beta1");
(async () => {
  const { data } = await createAstroClient({ token: ${JSON.stringify(TOKEN)}, baseUrl: process.argv[2] }).GET("/organizations");
  const old = await createV1beta1Client({ token: ${JSON.stringify(TOKEN)}, baseUrl: process.argv[2] }).platform.GET("/organizations");
  console.log(JSON.stringify({ data, old: old.data, errors: typeof AstroApiError }));
})();
`,
  // The worst case for a per-process budget: v1 from the ESM build and v1beta1 from the CJS
  // build (two copies of the runtime's modules) with one token, 2 GETs a second each.
  "budget.mjs": `
import { createRequire } from "node:module";
import { createAstroClient } from "astro-api-client";
const { createAstroClient: createV1beta1Client } = createRequire(import.meta.url)("astro-api-client/v1beta1");
const options = { token: "budget-token", baseUrl: process.argv[2], throttle: { limits: { get: 2 } } };
const v1 = createAstroClient(options);
const v1beta1 = createV1beta1Client(options);
await Promise.all([0, 1, 2].flatMap(() => [v1.GET("/organizations"), v1beta1.platform.GET("/organizations")]));
console.log("done");
`,
  // throttle.redis, through each build: prints the first call's error (ioredis is not installed here).
  "redis-esm.mjs": `
import { createAstroClient } from "astro-api-client";
const astro = createAstroClient({ token: "t", organizationId: "o", baseUrl: process.argv[2], throttle: { redis: { url: "redis://127.0.0.1:1" } } });
const error = await astro.getDeployment({ deploymentId: "d" }).catch((e) => e);
await astro.close();
console.log(JSON.stringify([error.name, error.message]));
`,
  "redis-cjs.cjs": `
const { createAstroClient } = require("astro-api-client");
(async () => {
  const astro = createAstroClient({ token: "t", organizationId: "o", baseUrl: process.argv[2], throttle: { redis: { url: "redis://127.0.0.1:1" } } });
  const error = await astro.getDeployment({ deploymentId: "d" }).catch((e) => e);
  await astro.close();
  console.log(JSON.stringify([error.name, error.message]));
})();
`,
  // The mock entry serves the pinned documents shipped inside the installed package: v1 by default…
  "mock-esm.mjs": `
import { createAstroClient } from "astro-api-client";
import { startAstroMock } from "astro-api-client/mock";
const mock = await startAstroMock();
try {
  const astro = createAstroClient({ token: ${JSON.stringify(TOKEN)}, baseUrl: mock.url });
  const { data } = await astro.GET("/organizations");
  console.log(JSON.stringify({ documents: mock.documents, organizations: data.organizations.length }));
} finally {
  await mock.close();
}
`,
  // …and v1beta1 on request, through the same one base URL.
  "mock-cjs.cjs": `
const { createAstroClient } = require("astro-api-client/v1beta1");
const { startAstroMock } = require("astro-api-client/mock");
(async () => {
  const mock = await startAstroMock({ serve: ["platform", "iam"] });
  try {
    const astro = createAstroClient({ token: ${JSON.stringify(TOKEN)}, baseUrl: mock.url });
    const { data } = await astro.iam.GET("/organizations/{organizationId}/teams", { params: { path: { organizationId: "o" } } });
    console.log(JSON.stringify({ documents: mock.documents, teams: data.teams.length }));
  } finally {
    await mock.close();
  }
})();
`,
  // A typical typed call; the expected errors prove the types are real, not \`any\`.
  "src/typical.ts": `
import { createAstroClient, NotFoundError, type BinaryBody, type V1Components } from "astro-api-client";
import { createAstroClient as createV1beta1Client, type PlatformComponents } from "astro-api-client/v1beta1";
import type { AstroMock } from "astro-api-client/mock";
// The fake's declarations stand alone: this project has neither ajv nor msw.
import type { AstroFake } from "astro-api-client/testing";
export type FakeUrl = AstroFake["url"];

export async function deploymentNames(organizationId: string): Promise<string[]> {
  const astro = createAstroClient({ token: "t", organizationId });
  const { data } = await astro.listDeployments({ limit: 50 });
  const first: V1Components["schemas"]["Deployment"] | undefined = data.deployments[0];
  await astro.createTeam({ body: { name: "platform" } });
  // @ts-expect-error: not a path of the v1 API
  await astro.GET("/organisations");
  // @ts-expect-error: the body lacks the required name
  await astro.createTeam({ body: {} });
  const logs: BinaryBody = (await astro.getOrganizationAuditLogs()).data;
  let status = 0;
  try {
    await astro.getDeployment({ deploymentId: "missing" });
  } catch (error) {
    if (error instanceof NotFoundError) status = error.status;
  }
  const old = createV1beta1Client({ token: "t" });
  const oldData = await old.platform.GET("/organizations/{organizationId}/deployments", {
    params: { path: { organizationId } },
  });
  const oldFirst: PlatformComponents["schemas"]["Deployment"] | undefined = oldData.data.deployments[0];
  const url: AstroMock["url"] | undefined = undefined;
  return [first?.name ?? "", oldFirst?.name ?? "", String(status), String(url), String(logs.locked)];
}
`,
  // A CommonJS TypeScript module of the same package resolves the "require" types.
  "src/typical-cjs.cts": `
import astroApiClient = require("astro-api-client");
import v1beta1 = require("astro-api-client/v1beta1");
const astro = astroApiClient.createAstroClient({ token: "t" });
export const call = astro.GET("/organizations", { params: { query: { limit: 5 } } });
// @ts-expect-error: limit is a number
export const wrong = astro.GET("/organizations", { params: { query: { limit: "5" } } });
export const old = v1beta1.createAstroClient({ token: "t" }).platform.GET("/organizations");
`,
  "tsconfig.node16.json": JSON.stringify({
    compilerOptions: {
      module: "node16",
      moduleResolution: "node16",
      target: "es2022",
      strict: true,
      noEmit: true,
      // The package's declarations are checked like the consumer's code; TypeScript's own lib
      // files (DOM included) are not what this test is about, and were a third of its time.
      skipLibCheck: false,
      skipDefaultLibCheck: true,
      types: ["node"],
    },
    include: ["src"],
  }),
  "tsconfig.bundler.json": JSON.stringify({
    compilerOptions: {
      module: "esnext",
      moduleResolution: "bundler",
      target: "es2022",
      strict: true,
      noEmit: true,
      // What bundler-based apps usually set; the node16 consumer checks the declarations themselves.
      skipLibCheck: true,
      types: ["node"],
    },
    include: ["src/typical.ts"],
  }),
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "astro-pack-"));
  project = join(dir, "consumer");
  server = await startRecordingServer((_, res) => json(res, 200, { organizations: [{ id: "o1" }] }));
  // At most one build: `check:package` builds, then runs publint and Are The Types Wrong
  // (`check:dist`, exiting non-zero on any problem, on the package as packed). A `dist/` that
  // `npm ci` (prepare) or an earlier run built from the sources as they are now — its stamp's
  // hashes of the inputs and of `dist/` both match — is checked as it is instead of rebuilt.
  // `npm pack` would build again through `prepare`, so it skips scripts.
  checkReport = (await distIsFresh(ROOT))
    ? await run(NPM, ["run", "check:dist"], ROOT)
    : await run(NPM, ["run", "check:package"], ROOT);
  await run(NPM, ["pack", "--ignore-scripts", "--pack-destination", dir], ROOT);
  const tarballs = (await readdir(dir)).filter((name) => name.endsWith(".tgz"));
  expect(tarballs).toEqual([`astro-api-client-${VERSION}.tgz`]);
  tarball = join(dir, tarballs[0]!);

  await mkdir(join(project, "src"), { recursive: true });
  await writeFile(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  for (const [name, content] of Object.entries(files)) await writeFile(join(project, name), content);
  const typesNode = JSON.parse(
    await readFile(join(ROOT, "node_modules", "@types", "node", "package.json"), "utf8"),
  ) as { version: string };
  // Everything the tarball needs is in npm's cache after the repository's own install.
  await run(
    NPM,
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--no-package-lock",
      tarball,
      `@types/node@${typesNode.version}`,
    ],
    project,
  );
  // The mock needs Prism, a dev dependency of the user's project: this one borrows the repository's.
  await mkdir(join(project, "node_modules", "@stoplight"), { recursive: true });
  await symlink(
    join(ROOT, "node_modules", "@stoplight", "prism-cli"),
    join(project, "node_modules", "@stoplight", "prism-cli"),
    "dir",
  );
}, 240_000);

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it("holds the builds, declarations, facts-only documents, README and LICENSE, and nothing else", async () => {
    const listing = await run("tar", ["-tzf", tarball], dir);
    const paths = listing.split("\n").filter(Boolean).sort();
    for (const path of paths) expect(path).toMatch(/^package\/(dist\/|README\.md$|LICENSE$|package\.json$)/);
    for (const required of [
      "package/dist/index.js",
      "package/dist/index.cjs",
      "package/dist/index.d.ts",
      "package/dist/index.d.cts",
      "package/dist/mock.js",
      "package/dist/mock.cjs",
      "package/dist/mock.d.ts",
      "package/dist/mock.d.cts",
      "package/dist/testing.js",
      "package/dist/testing.cjs",
      "package/dist/testing.d.ts",
      "package/dist/testing.d.cts",
      "package/dist/v1beta1.js",
      "package/dist/v1beta1.cjs",
      "package/dist/v1beta1.d.ts",
      "package/dist/v1beta1.d.cts",
      "package/dist/openapi/v1.facts.json",
      "package/dist/openapi/platform.facts.json",
      "package/dist/openapi/iam.facts.json",
      "package/LICENSE",
      "package/README.md",
    ]) {
      expect(paths).toContain(required);
    }
    // None of Astronomer's documents: the mock serves the facts derived from them.
    expect(paths.filter((path) => /\.ya?ml$/.test(path))).toEqual([]);
  });

  it("depends at runtime on openapi-fetch, its types-only helpers, and bottleneck only", async () => {
    const manifest = JSON.parse(
      await readFile(join(project, "node_modules", "astro-api-client", "package.json"), "utf8"),
    ) as { version: string; dependencies: Record<string, string>; peerDependenciesMeta?: object };
    expect(manifest.version).toBe(VERSION);
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      "bottleneck",
      "openapi-fetch",
      // Types only, and already a dependency of openapi-fetch: the signatures use its helpers.
      "openapi-typescript-helpers",
    ]);
  });

  it("declares the supported Node lines in engines, this machine's Node among them", async () => {
    const manifest = JSON.parse(
      await readFile(join(project, "node_modules", "astro-api-client", "package.json"), "utf8"),
    ) as { engines?: { node?: string } };
    const range = manifest.engines?.node;
    expect(range).toBeDefined();
    expect(semver.satisfies(process.version, range!), `${process.version} in ${range}`).toBe(true);
    // The LTS lines as of 2026-12 (22 and 24) and no line past its end of life before 20.
    for (const version of ["22.12.0", "24.0.0", "24.11.0"])
      expect(semver.satisfies(version, range!)).toBe(true);
    for (const version of ["18.20.8", "20.18.0", "21.7.0"])
      expect(semver.satisfies(version, range!)).toBe(false);
    // Every dependency the package installs accepts every Node version the range admits.
    for (const dependency of ["openapi-fetch", "openapi-typescript-helpers", "bottleneck"]) {
      const dependencyManifest = JSON.parse(
        await readFile(join(project, "node_modules", dependency, "package.json"), "utf8"),
      ) as { engines?: { node?: string } };
      const theirs = dependencyManifest.engines?.node;
      if (theirs) expect(semver.subset(range!, theirs), `${dependency} engines ${theirs}`).toBe(true);
    }
  });
});

describe("the package's metadata", () => {
  // Read from check:package's own run (publint --strict, then attw on what `npm pack` packs, which
  // is the tarball above): running both again on the tarball cost six seconds for the same reports.
  it("passes publint (strict) and Are The Types Wrong on every entry and resolution mode", () => {
    expect(checkReport).toContain("All good!");
    // attw exits non-zero on any problem (check:package would have failed above); node10
    // resolution included (typesVersions maps ./mock). check:dist asks for its list format
    // (`--format ascii`): by default attw draws a table when the terminal is wide enough.
    expect(checkReport).toContain("No problems found");
    const entrypoints = [...checkReport.matchAll(/^"(astro-api-client(?:\/[^"]*)?)"$/gm)].map((match) =>
      match[1]!.replace(/^astro-api-client/, "."),
    );
    expect(entrypoints.sort()).toEqual([".", "./mock", "./package.json", "./testing", "./v1beta1"]);
    // Every entry resolves in every mode: node10, node16 from CJS and from ESM, and bundler.
    for (const mode of ["node10", "node16 (from CJS)", "node16 (from ESM)", "bundler"]) {
      const lines = checkReport.split("\n").filter((line) => line.startsWith(`${mode}: `));
      expect(lines, mode).toHaveLength(entrypoints.length);
      for (const line of lines) expect(line, mode).toMatch(/: 🟢/);
    }
  });
});

describe("an installed copy", () => {
  for (const file of ["esm.mjs", "cjs.cjs"]) {
    it(`works through ${file.endsWith(".mjs") ? "import" : "require"}, v1 and v1beta1, sending the bearer token`, async () => {
      const before = server.received.length;
      const stdout = await run(process.execPath, [file, server.url], project);
      const organizations = { organizations: [{ id: "o1" }] };
      expect(JSON.parse(stdout)).toEqual({ data: organizations, old: organizations, errors: "function" });
      const requests = server.received.slice(before);
      expect(requests.map((r) => [r.url, r.headers["x-api-version"]])).toEqual([
        ["/v1/organizations", "1.0"],
        ["/platform/v1beta1/organizations", undefined],
      ]);
      for (const request of requests) {
        expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
        expect(request.headers["user-agent"]).toBe(`astro-api-client/${VERSION}`);
      }
    }, 60_000);
  }

  it("shares a token's budget between v1 (ESM build) and v1beta1 (CJS build) in one process", async () => {
    const before = server.received.length;
    expect((await run(process.execPath, ["budget.mjs", server.url], project)).trim()).toBe("done");
    const times = server.received.slice(before).map((r) => r.startedAt);
    expect(times).toHaveLength(6);
    // Two budgets would let 4 through in the first second; one lets 2.
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(2);
  }, 60_000);

  // The package's `imports` map (scripts/build/redis-imports.ts): Node loads the Redis limiter;
  // browsers and edge workers (their bundlers' conditions) get a stub that names why not.
  for (const [file, conditions] of [
    ["redis-esm.mjs", ["browser", "edge-light"]],
    ["redis-cjs.cjs", ["worker"]],
  ] as const) {
    it(`loads the Redis limiter for throttle.redis in Node, and a stub under browser and worker conditions (${file})`, async () => {
      const firstError = async (conditions: string[]) =>
        JSON.parse(
          await run(
            process.execPath,
            [...conditions.map((c) => `--conditions=${c}`), file, server.url],
            project,
          ),
        ) as [string, string];
      // The limiter's own loader ran: it looked for ioredis, which this project does not have.
      expect(await firstError([])).toEqual([
        "AstroConfigError",
        expect.stringContaining("needs the ioredis package"),
      ]);
      for (const condition of conditions)
        expect(await firstError([condition])).toEqual([
          "AstroConfigError",
          expect.stringContaining("throttle.redis is not available in browsers and edge workers"),
        ]);
    }, 60_000);
  }

  it("is bundled for browsers without the Redis limiter, and for Node with it", async () => {
    const script = `
import { createAstroClient } from "astro-api-client";
export const astro = createAstroClient({ token: "t", throttle: { redis: { url: "redis://127.0.0.1:1" } } });
`;
    for (const platform of ["browser", "node"] as const) {
      const { code, warnings } = await bundle(script, { platform, format: "esm", resolveDir: project });
      expect(warnings.map((warning) => warning.text)).toEqual([]);
      // A message of the limiter itself (src/throttle/redis/).
      expect(code.includes("throttle.redis: the client was closed"), platform).toBe(platform === "node");
    }
  });

  for (const file of ["mock-esm.mjs", "mock-cjs.cjs"]) {
    it(`starts the mock from the facts-only documents inside the package (${file})`, async () => {
      // No other copy to fall back on: the lookup must find the package's own dist/openapi.
      const stdout = await run(process.execPath, [file], project, { ASTRO_OPENAPI_DIR: join(dir, "none") });
      const shipped = (api: string) =>
        join(project, "node_modules", "astro-api-client", "dist", "openapi", `${api}.facts.json`);
      const result = JSON.parse(stdout) as { documents: object; organizations?: number; teams?: number };
      expect(result.documents).toEqual(
        file === "mock-esm.mjs"
          ? { v1: shipped("v1") }
          : { platform: shipped("platform"), iam: shipped("iam") },
      );
      expect(result.organizations ?? result.teams).toBeGreaterThan(0);
    }, 90_000);
  }

  for (const resolution of ["node16", "bundler"]) {
    it(`type-checks a typical consumer with moduleResolution ${resolution}`, async () => {
      await run(process.execPath, [TSC, "-p", `tsconfig.${resolution}.json`], project);
    }, 180_000);
  }
});

/**
 * The modules an entry file loads before any call: its static imports (`from './x.js'`,
 * `import './x.js'`, `require('./x.cjs')`), followed through the chunks; `import('./x.js')`, a
 * lazy load, is not followed.
 */
async function staticClosure(dir: string, entry: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const pending = [entry];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (texts.has(name)) continue;
    const text = await readFile(join(dir, name), "utf8");
    texts.set(name, text);
    for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s+|\brequire\()['"]\.\/([^'"]+)['"]/g))
      pending.push(match[1]!);
  }
  return texts;
}

describe("what an entry loads before its first call", () => {
  // The workflows and the Redis limiter are imported at their first call (src/workflows/lazy.ts,
  // src/throttle/lazy-redis.ts). tsup's splitting decides which chunk each module lands in, so a
  // value taken through the wrong module can pull them into a chunk every entry loads: checked
  // on the built files, as Node loads them.
  for (const entry of ["index.js", "index.cjs", "v1beta1.js", "v1beta1.cjs"]) {
    it(`${entry} loads neither the workflows nor the Redis limiter`, async () => {
      const dist = join(project, "node_modules", "astro-api-client", "dist");
      const loaded = await staticClosure(dist, entry);
      expect(loaded.size).toBeGreaterThan(1);
      for (const [name, text] of loaded) {
        expect(text, name).not.toMatch(/^\/\/ src\/workflows\/create-workflows\.ts$/m);
        expect(text, name).not.toMatch(/^\/\/ src\/throttle\/redis\/index\.ts$/m);
      }
      // Both are still in the package, as lazy chunks.
      const all = await Promise.all(
        (await readdir(dist)).filter((f) => /\.c?js$/.test(f)).map((f) => readFile(join(dist, f), "utf8")),
      );
      expect(all.some((text) => /^\/\/ src\/workflows\/create-workflows\.ts$/m.test(text))).toBe(true);
      expect(all.some((text) => /^\/\/ src\/throttle\/redis\/index\.ts$/m.test(text))).toBe(true);
    });
  }

  it("index.js loads one chunk of the package (Node loads an ESM graph module by module; issue #27)", async () => {
    const loaded = await staticClosure(join(project, "node_modules", "astro-api-client", "dist"), "index.js");
    expect([...loaded.keys()].filter((name) => name !== "index.js")).toHaveLength(1);
  });
});
