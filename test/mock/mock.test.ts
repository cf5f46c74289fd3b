import { spawn } from "node:child_process";
import { once } from "node:events";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { specs, type ApiName } from "../../generated/operations.js";
import { createAstroClient, NotFoundError } from "../../src/v1beta1/index.js";
import { locateDocument } from "../../src/mock/documents.js";
import { AstroMockError, startAstroMock, type AstroMock } from "../../src/mock/index.js";
import {
  cacheFile,
  locatePinnedDocument,
  sha256,
  SpecFileError,
  SpecHashError,
} from "../../src/mock/spec-files.js";
import { rejection } from "../helpers/client.js";
import { alive, commandLine, eventually, freePort, prismChildren, prismPids } from "../helpers/prism.js";
import { startRecordingServer } from "../helpers/recording-server.js";
import { NO_CORPUS, REVISIONS_DIR, ROOT } from "../helpers/revisions.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The facts-only document of `api` in generated/ (what the mock serves by default). */
const factsFile = (api: ApiName) => join(ROOT, "generated", `${api}.facts.json`);

/**
 * Copies of the pinned documents' facts in a fresh folder outside the repository, given to the
 * mock as explicit documents. Prism's command line names the document, so the folder tells this
 * test's Prism processes from any other's.
 */
async function copyDocuments(): Promise<{ dir: string; documents: Record<ApiName, string> }> {
  const dir = await mkdtemp(join(tmpdir(), "astro-mock-docs-"));
  tempDirs.push(dir);
  const documents = { platform: join(dir, "platform.facts.json"), iam: join(dir, "iam.facts.json") };
  for (const api of ["platform", "iam"] as const) await copyFile(factsFile(api), documents[api]);
  return { dir, documents };
}

describe("startAstroMock", () => {
  let mock: AstroMock<ApiName>;
  let ports: Record<ApiName, number>;
  let copies: Awaited<ReturnType<typeof copyDocuments>>;
  beforeAll(async () => {
    ports = { platform: await freePort(), iam: await freePort() };
    copies = await copyDocuments();
    mock = await startAstroMock({ serve: ["platform", "iam"], documents: copies.documents, ports });
  }, 90_000);
  afterAll(async () => {
    await mock?.close();
  });

  it("listens on the ports it is given", () => {
    expect(mock.urls).toEqual({
      platform: `http://127.0.0.1:${ports.platform}`,
      iam: `http://127.0.0.1:${ports.iam}`,
    });
  });

  it("serves both APIs on loopback, ready for createAstroClient({ urls })", async () => {
    expect(mock.urls.platform).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.urls.iam).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.urls.platform).not.toBe(mock.urls.iam);
    const astro = createAstroClient({ token: "mock-test-token", urls: mock.urls, maxRetries: 0 });
    const { data } = await astro.platform.GET("/organizations");
    expect(data.organizations.length).toBeGreaterThan(0);
    const teams = await astro.iam.GET("/organizations/{organizationId}/teams", {
      params: { path: { organizationId: "org-1" } },
    });
    expect(Array.isArray(teams.data.teams)).toBe(true);
    const error = await rejection(
      astro.iam.GET("/organizations/{organizationId}/teams/{teamId}", {
        params: { path: { organizationId: "org-1", teamId: "t-1" } },
        headers: { Prefer: "code=404" },
      }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    // The one base URL routes /platform/v1beta1 and /iam/v1beta1 like the live API.
    const routed = createAstroClient({ token: "mock-test-token", baseUrl: mock.url, maxRetries: 0 });
    expect((await routed.platform.GET("/organizations")).data.organizations.length).toBeGreaterThan(0);
    expect((await routed.iam.listTeams({ organizationId: "org-1" })).response.status).toBe(200);
  });

  it("runs Prism itself under the PIDs it reports, serving the documents it names", () => {
    expect(mock.documents).toEqual(copies.documents);
    for (const pid of [mock.pids.platform, mock.pids.iam]) {
      expect(commandLine(pid)).toMatch(/prism-cli\/dist\/index\.js mock \S+\.yaml --port=\d+/);
    }
  });

  it("validates requests: an unauthenticated one is answered 401 with a violation", async () => {
    const response = await fetch(`${mock.urls.platform}/organizations`);
    expect(response.status).toBe(401);
    expect(response.headers.get("sl-violations")).toContain("security");
  });

  it("keeps serving when the file it was found in changes or disappears (a rebuild of dist/)", async () => {
    await writeFile(copies.documents.iam, "openapi: 3.0.3\n");
    await rm(copies.documents.platform);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const astro = createAstroClient({ token: "mock-test-token", urls: mock.urls, maxRetries: 0 });
    await astro.platform.GET("/organizations");
    await astro.iam.GET("/organizations/{organizationId}/teams", {
      params: { path: { organizationId: "o" } },
    });
    expect(alive(mock.pids.platform) && alive(mock.pids.iam)).toBe(true);
  });

  // Last of this group: it stops the shared mock.
  it("close() ends both Prism processes, and a second close() is harmless", async () => {
    expect(alive(mock.pids.platform) && alive(mock.pids.iam)).toBe(true);
    await mock.close();
    expect(alive(mock.pids.platform)).toBe(false);
    expect(alive(mock.pids.iam)).toBe(false);
    await mock.close();
  });
});

describe("failing to start", { timeout: 90_000 }, () => {
  it("fails clearly when a port is taken, leaving no process behind", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    const { port } = taken.address() as { port: number };
    const attempt = startAstroMock({ serve: ["platform", "iam"], ports: { iam: port } });
    await expect(attempt).rejects.toThrow(
      /exited before listening[\s\S]*(EADDRINUSE|address already in use)/i,
    );
    await expect(attempt).rejects.toBeInstanceOf(AstroMockError);
    // The platform server, which did start, was stopped before the promise rejected.
    expect(await prismChildren(process.pid)).toEqual([]);
  });
});

// Each test starts its own Prism processes, which takes seconds of CPU: run them side by side,
// with room for a loaded machine.
describe.concurrent("stopping", { timeout: 90_000 }, () => {
  /**
   * Runs the fixture program and returns it with the Prism PIDs it reported. Whatever the test's
   * outcome, the program is killed when the test finishes (a failed assertion must not leave a
   * waiting program, and its Prism, behind).
   */
  async function program(mode: "wait" | "return", onTestFinished: (fn: () => void) => void) {
    const { documents: docs } = await copyDocuments();
    // Prism's command line names its document snapshot, made in this folder: a marker for pgrep.
    const dir = await mkdtemp(join(tmpdir(), "astro-mock-program-"));
    tempDirs.push(dir);
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        join(ROOT, "test", "mock", "fixtures", "start-mock.ts"),
        docs.platform,
        docs.iam,
        mode,
        dir,
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
    const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
    const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
    const { pids } = JSON.parse(line) as { pids: Record<ApiName, number> };
    // (A program that returns at once may already be gone, and its Prism with it.)
    if (mode === "wait") {
      expect(alive(pids.platform) && alive(pids.iam)).toBe(true);
      expect((await prismPids(dir)).sort()).toEqual([pids.platform, pids.iam].sort());
      expect((await readdir(dir)).filter((name) => name.startsWith("astro-prism-"))).toHaveLength(2);
    }
    return { child, exited, dir, pids: [pids.platform, pids.iam] };
  }

  for (const signal of ["SIGINT", "SIGTERM", "SIGKILL"] as const) {
    it(`stops Prism when the program using it gets ${signal}`, async ({ onTestFinished }) => {
      const { child, exited, dir, pids } = await program("wait", onTestFinished);
      child.kill(signal);
      const [code, received] = await exited;
      // With no handler of its own, the program dies of the signal as it would without the mock.
      expect({ code, received }).toEqual({ code: null, received: signal });
      await eventually(() => pids.every((pid) => !alive(pid)));
      expect(await prismPids(dir)).toEqual([]);
      // Each Prism removed the snapshot of its document as it went.
      await eventually(async () => (await readdir(dir)).every((name) => !name.startsWith("astro-prism-")));
    });
  }

  it("stops Prism when the program simply ends without calling close()", async ({ onTestFinished }) => {
    const { exited, dir, pids } = await program("return", onTestFinished);
    const [code] = await exited;
    expect(code).toBe(0);
    await eventually(() => pids.every((pid) => !alive(pid)));
    expect(await prismPids(dir)).toEqual([]);
    await eventually(async () => (await readdir(dir)).every((name) => !name.startsWith("astro-prism-")));
  });
});

describe("finding the pinned documents", () => {
  const platform = specs.platform;
  async function tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }
  async function place(file: string): Promise<string> {
    await mkdir(join(file, ".."), { recursive: true });
    await copyFile(join(REVISIONS_DIR, platform.file), file);
    return file;
  }

  it("prefers an explicit document, then the package's facts, then generated/'s, then the pinned document", async () => {
    const root = await tempDir("astro-root-");
    const found = async (options: Parameters<typeof locateDocument>[1] = { env: {} }) =>
      (await locateDocument("platform", options, root)).file;
    const copy = async (file: string) => {
      await mkdir(join(file, ".."), { recursive: true });
      await copyFile(factsFile("platform"), file);
      return file;
    };
    const generated = await copy(join(root, "generated", "platform.facts.json"));
    expect(await found()).toBe(generated);
    const bundled = await copy(join(root, "dist", "openapi", "platform.facts.json"));
    expect(await found()).toBe(bundled);
    const explicit = (await copyDocuments()).documents.platform;
    expect(await found({ documents: { platform: explicit } })).toBe(explicit);
  });

  it.skipIf(NO_CORPUS)(
    "without facts, looks in ASTRO_OPENAPI_DIR, then ../shared, then the cache",
    async () => {
      const root = await tempDir("astro-root-");
      const envDir = await tempDir("astro-env-");
      const shared = join(root, "..", "shared", "astro-openapi");
      const cached = await place(cacheFile(root, "platform", platform.sha256));
      const found = async (env: NodeJS.ProcessEnv = {}) =>
        (await locateDocument("platform", { env }, root)).file;
      expect(await found()).toBe(cached);
      // `../shared/astro-openapi` next to a temporary root is a sibling temp folder: only look.
      expect(shared).not.toContain(ROOT);
      await place(join(envDir, platform.file));
      expect(await found({ ASTRO_OPENAPI_DIR: envDir })).toBe(join(envDir, platform.file));
      const explicit = await place(join(envDir, "explicit.yaml"));
      expect((await locateDocument("platform", { documents: { platform: explicit } }, root)).file).toBe(
        explicit,
      );
    },
  );

  it("refuses facts of another pin, naming the file and both hashes", async () => {
    const root = await tempDir("astro-root-");
    const file = join(root, "dist", "openapi", "platform.facts.json");
    await mkdir(join(file, ".."), { recursive: true });
    const other = "0".repeat(64);
    await writeFile(file, (await readFile(factsFile("platform"), "utf8")).replace(platform.sha256, other));
    const error = await rejection(locateDocument("platform", { env: {} }, root));
    expect(error).toBeInstanceOf(SpecFileError);
    expect(error.message).toContain(file);
    expect(error.message).toContain(other);
    expect(error.message).toContain(platform.sha256);
  });

  it("rejects an explicit document that does not exist", async () => {
    await expect(
      startAstroMock({ serve: ["platform", "iam"], documents: { iam: "/nonexistent/iam.yaml" } }),
    ).rejects.toThrow("documents.iam is /nonexistent/iam.yaml, which does not exist");
  });

  it("downloads a document found nowhere, verifies it, caches it, and says what it tried when it cannot", async () => {
    const dir = await tempDir("astro-dl-");
    // A document of this project's own writing, pinned by its hash: the lookup reads bytes only.
    const text = "openapi: 3.0.3\ninfo: { title: Downloaded, version: '1' }\npaths: {}\n";
    const server = await startRecordingServer((_, res) => res.end(text));
    cleanups.push(server.close);
    const pin = {
      api: "platform",
      file: platform.file,
      sha256: sha256(text),
      upstream: `${server.url}/spec`,
    };
    const options = {
      candidates: [join(dir, "absent.yaml")],
      cacheFile: join(dir, "cache", "platform.yaml"),
    };
    const located = await locatePinnedDocument(pin, options);
    expect(located).toMatchObject({
      source: pin.upstream,
      file: options.cacheFile,
      sha256: pin.sha256,
      text,
    });
    await locatePinnedDocument(pin, options);
    expect(server.received).toHaveLength(1);

    await server.close();
    const offline = { ...options, cacheFile: join(dir, "other-cache.yaml") };
    const error = await rejection(locatePinnedDocument(pin, offline));
    expect(error).toBeInstanceOf(SpecFileError);
    expect(error.message).toContain(`cannot download ${pin.upstream}`);
    expect(error.message).toContain(join(dir, "absent.yaml"));
    expect(error.message).toContain(offline.cacheFile);
    // A copy with another hash is refused, naming both, and never a reason to look further.
    await writeFile(join(dir, "absent.yaml"), `${text}# edited\n`);
    const mismatch = await rejection(locatePinnedDocument(pin, options));
    expect(mismatch).toBeInstanceOf(SpecHashError);
    expect(mismatch.message).toContain(pin.sha256);
    expect(mismatch.message).toContain(join(dir, "absent.yaml"));
  });
});
