/**
 * The release routine, run for real in a throwaway checkout: change files → `npm run
 * release:version` (version bump, CHANGELOG.md, src/client/version.ts); the spec-drift job's
 * `npm run drift:changeset`; and `npm run release:publish` against a registry on loopback.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import semver from "semver";
import { afterEach, describe, expect, it } from "vitest";
import { startRecordingServer, type RecordingServer } from "../helpers/recording-server.js";
import { ROOT } from "../helpers/revisions.js";
import { readManifest } from "./npm-scripts.js";
import { git, releaseCopy } from "./release-copy.js";
import { runCommand } from "./run-command.js";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const undo: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (undo.length > 0) await undo.pop()!();
});

async function copy(): Promise<string> {
  const { dir, remove } = await releaseCopy();
  undo.push(remove);
  return dir;
}

function npm(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCommand(NPM, args, dir, env);
}

async function expectOk(result: Promise<{ code: number; stdout: string; stderr: string }>): Promise<string> {
  const { code, stdout, stderr } = await result;
  expect(code, `${stdout}\n${stderr}`).toBe(0);
  return stdout;
}

function changeFile(dir: string, name: string, level: string, summary: string): Promise<void> {
  return writeFile(
    join(dir, ".changeset", `${name}.md`),
    `---\n"astro-api-client": ${level}\n---\n\n${summary}\n`,
  );
}

const read = (dir: string, path: string) => readFile(join(dir, path), "utf8");

describe("npm run release:version", () => {
  it("bumps package.json and src/client/version.ts by the largest level and writes CHANGELOG.md from the change files", async () => {
    const dir = await copy();
    const before = await readManifest(ROOT);
    const next = semver.inc(before.version, "minor")!;
    await changeFile(dir, "add-widgets", "minor", "Add `listWidgets`, paginated.");
    await changeFile(dir, "fix-retry", "patch", "Retry a 503 that carries no `Retry-After`.");
    // Committed as in a pull request: the changelog names the commit that added each change file.
    await git(["add", "-A"], dir);
    await git(["commit", "-qm", "changes"], dir);
    const commit = (await git(["rev-parse", "--short=7", "HEAD"], dir)).stdout.trim();

    await expectOk(npm(dir, ["run", "release:version"]));

    const after = JSON.parse(await read(dir, "package.json")) as Record<string, unknown>;
    expect(after).toEqual({ ...before, version: next });
    expect(await read(dir, "src/client/version.ts")).toBe(
      (await read(ROOT, "src/client/version.ts")).replace(`"${before.version}"`, `"${next}"`),
    );
    const changelog = await read(dir, "CHANGELOG.md");
    expect(changelog).toMatch(
      new RegExp(
        `^# astro-api-client\\n\\n## ${next.replaceAll(".", "\\.")}\\n\\n### Minor Changes\\n\\n- ${commit}: Add \`listWidgets\`, paginated\\.\\n\\n` +
          `### Patch Changes\\n\\n- ${commit}: Retry a 503 that carries no \`Retry-After\`\\.\\n$`,
      ),
    );
    // The change files are consumed; the configuration stays.
    expect((await readdir(join(dir, ".changeset"))).sort()).toEqual(["README.md", "config.json"]);
    // What release:version writes already passes the suite's formatting check.
    await expectOk(
      runCommand(
        join(ROOT, "node_modules", ".bin", "prettier"),
        ["--check", "CHANGELOG.md", "package.json", "src"],
        dir,
      ),
    );
  });

  it("takes a major change to the next major, and adds each release on top of the previous one", async () => {
    const dir = await copy();
    const { version } = await readManifest(ROOT);
    await changeFile(dir, "first", "patch", "First fix.");
    await expectOk(npm(dir, ["run", "release:version"]));
    const patched = semver.inc(version, "patch")!;
    await git(["commit", "-qam", "release"], dir);

    await changeFile(dir, "drop-node-20", "major", "Drop Node 20.");
    await expectOk(npm(dir, ["run", "release:version"]));
    const major = semver.inc(patched, "major")!;
    expect((await readManifest(dir)).version).toBe(major);
    expect(await read(dir, "src/client/version.ts")).toContain(`export const VERSION = "${major}";`);
    const changelog = await read(dir, "CHANGELOG.md");
    const headings = [...changelog.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual([major, patched]);
    expect(changelog).toContain("### Major Changes");
    expect(changelog.indexOf("Drop Node 20.")).toBeLessThan(changelog.indexOf("First fix."));
  });

  it("changes nothing when there is no change file", async () => {
    const dir = await copy();
    await expectOk(npm(dir, ["run", "release:version"]));
    expect((await readManifest(dir)).version).toBe((await readManifest(ROOT)).version);
    expect((await git(["status", "--porcelain"], dir)).stdout).toBe("");
  });
});

describe("npm run drift:changeset", () => {
  async function movePin(dir: string, api: string, revision: string): Promise<void> {
    const pins = JSON.parse(await read(dir, "openapi/pins.json")) as Record<string, { revision: string }>;
    pins[api]!.revision = revision;
    await writeFile(join(dir, "openapi", "pins.json"), JSON.stringify(pins, null, 2) + "\n");
  }

  it("records the level specs:update printed and the moved revisions, which release:version turns into a release", async () => {
    const dir = await copy();
    const pins = JSON.parse(await read(dir, "openapi/pins.json")) as Record<string, { revision: string }>;
    await movePin(dir, "platform", "2026-11-30");
    const log = join(dir, "update.log");
    await writeFile(log, "platform: 3 changes, 1 breaking\nsemver bump the package needs: major\n");

    await expectOk(npm(dir, ["run", "drift:changeset", "--", "--update-log", log]));

    const files = (await readdir(join(dir, ".changeset"))).filter((name) => name.startsWith("astro-api-"));
    expect(files).toEqual(["astro-api-platform-2026-11-30.md"]);
    const body = await read(dir, `.changeset/${files[0]}`);
    expect(body).toMatch(/^---\n"astro-api-client": major\n---\n/);
    expect(body).toContain(`- platform: ${pins.platform!.revision} → 2026-11-30`);
    expect(body).not.toContain("iam:");

    await expectOk(npm(dir, ["run", "release:version"]));
    const major = semver.inc((await readManifest(ROOT)).version, "major")!;
    expect((await readManifest(dir)).version).toBe(major);
    const changelog = await read(dir, "CHANGELOG.md");
    expect(changelog).toContain("### Major Changes");
    expect(changelog).toContain(`platform: ${pins.platform!.revision} → 2026-11-30`);
  });

  it("takes --bump instead of a log, and names both APIs when both moved", async () => {
    const dir = await copy();
    await movePin(dir, "platform", "2026-11-30");
    await movePin(dir, "iam", "2026-12-01");
    await expectOk(npm(dir, ["run", "drift:changeset", "--", "--bump", "minor"]));
    const body = await read(dir, ".changeset/astro-api-platform-2026-11-30-iam-2026-12-01.md");
    expect(body).toMatch(/^---\n"astro-api-client": minor\n---\n/);
    expect(body).toContain("→ 2026-12-01");
  });

  it.each([
    ["the pins did not move", ["--bump", "minor"], false, /does not differ from the committed one/],
    ["the level is not a semver level", ["--bump", "huge"], true, /not a semver level: "huge"/],
    ["no level is given", [], true, /give --bump/],
  ])("fails without writing a change file when %s", async (_, args, move, message) => {
    const dir = await copy();
    if (move) await movePin(dir, "platform", "2026-11-30");
    const result = await npm(dir, ["run", "drift:changeset", "--", ...args]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect((await readdir(join(dir, ".changeset"))).sort()).toEqual(["README.md", "config.json"]);
  });
});

describe("npm run release:publish", () => {
  let registry: RecordingServer | undefined;
  afterEach(async () => {
    await registry?.close();
    registry = undefined;
  });

  it("publishes the versioned package publicly under `latest` and tags the release", async () => {
    const dir = await copy();
    const { version } = await readManifest(dir);
    // A registry on loopback that has never seen the package: `npm info` answers 404, the publish 201.
    registry = await startRecordingServer((request, response) => {
      response.setHeader("content-type", "application/json");
      if (request.method === "PUT") {
        response.statusCode = 201;
        response.end(JSON.stringify({ ok: true }));
      } else {
        response.statusCode = 404;
        response.end(JSON.stringify({ error: "Not found" }));
      }
    });
    // The build is the packaging test's concern: here the tarball only needs a file to carry.
    const manifest = JSON.parse(await read(dir, "package.json")) as { scripts: Record<string, string> };
    delete manifest.scripts.prepare;
    await writeFile(join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
    await writeFile(join(dir, "README.md"), "# astro-api-client\n");
    await git(["add", "-A"], dir);
    await git(["commit", "-qm", "no build"], dir);
    const host = registry.url.replace(/^http:/, "");
    await writeFile(
      join(dir, ".npmrc"),
      `registry=${registry.url}/\n${host}/:_authToken=registry-test-token\n`,
    );

    await expectOk(npm(dir, ["run", "release:publish"], { CI: "true", NPM_CONFIG_PROVENANCE: "false" }));

    const puts = registry.received.filter((request) => request.method === "PUT");
    expect(puts).toHaveLength(1);
    expect(puts[0]!.url).toBe("/astro-api-client");
    expect(puts[0]!.headers.authorization).toBe("Bearer registry-test-token");
    const document = JSON.parse(puts[0]!.body) as {
      name: string;
      access: string;
      "dist-tags": Record<string, string>;
      versions: Record<string, { version: string }>;
      _attachments: Record<string, unknown>;
    };
    expect(document.name).toBe("astro-api-client");
    expect(document.access).toBe("public");
    expect(document["dist-tags"]).toEqual({ latest: version });
    expect(Object.keys(document.versions)).toEqual([version]);
    expect(Object.keys(document._attachments)).toEqual([`astro-api-client-${version}.tgz`]);
    expect((await git(["tag", "--list"], dir)).stdout.trim()).toBe(`v${version}`);
  });
});
