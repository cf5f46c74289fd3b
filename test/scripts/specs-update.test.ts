import { execFile } from "node:child_process";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { formatMarkdown } from "../../scripts/shared/prettier.js";
import { InvalidSpecError } from "../../scripts/shared/errors.js";
import { generate } from "../../scripts/generate/generate.js";
import { readPins, writePins } from "../../scripts/openapi/pins.js";
import { resolveSpec } from "../../scripts/openapi/resolve.js";
import { cacheFile, sha256 } from "../../src/mock/spec-files.js";
import { updatePins } from "../../scripts/drift/apply-update.js";
import { cacheRevision, editedRevision, pinAt, pinnedState } from "../helpers/pinned-state.js";
import { cleanupAfterEach } from "../helpers/cleanup.js";
import { startRecordingServer } from "../helpers/recording-server.js";
import { NO_CORPUS, REVISIONS_DIR, ROOT } from "../helpers/revisions.js";

const run = promisify(execFile);
const tsx = join(ROOT, "node_modules", ".bin", "tsx");
const cli = join(ROOT, "scripts", "bin", "specs-update.ts");
const env = { ASTRO_OPENAPI_DIR: REVISIONS_DIR };
const cliEnv = { ...process.env, ...env };

const { defer, newRoot } = cleanupAfterEach();

async function fails(promise: Promise<unknown>): Promise<{ code: number; stdout: string; stderr: string }> {
  return promise.then(
    () => {
      throw new Error("expected the command to fail");
    },
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

/** A document for `--from`, written outside every revisions folder. */
async function incoming(root: string, fileName: string, text: string): Promise<string> {
  await mkdir(join(root, "incoming"), { recursive: true });
  await writeFile(join(root, "incoming", fileName), text);
  return join(root, "incoming", fileName);
}

const LIST_CLUSTERS = "/organizations/{organizationId}/clusters";

// Corpus tests: they run the drift tools over Astronomer's real revisions.
describe.skipIf(NO_CORPUS)("specs:update", () => {
  it("moves an older pin to the newest revision: pin, generated files and changelog change together", async () => {
    const root = await newRoot();
    await cp(join(ROOT, "API-CHANGELOG.md"), join(root, "API-CHANGELOG.md"));
    const current = await pinnedState(root);
    await pinAt(root, "platform", "2024-07-10");
    await generate(root, { env });
    const older = await pinnedState(root);
    expect(older.generated["platform.ts"]).not.toBe(current.generated["platform.ts"]);

    const { stdout } = await run(tsx, [cli, "--root", root, "--api", "platform", "--from", REVISIONS_DIR], {
      env: cliEnv,
    });
    expect(stdout).toContain("platform 2024-07-10 → 2024-07-31");
    expect(stdout).toContain("Added optional property `ClusterMetadata.kubeDnsIp`.");
    expect(stdout).toContain("semver bump the package needs: minor");

    const updated = await pinnedState(root);
    // Back at the committed pins, the generator reproduces the committed files.
    expect(updated.pins).toBe(current.pins);
    expect(updated.generated).toEqual(current.generated);
    const changelog = updated.changelog!;
    // The new entry goes first, under the introduction; the entries already there follow unchanged.
    const firstOld = current.changelog!.search(/^## /m);
    const intro = firstOld === -1 ? current.changelog! : current.changelog!.slice(0, firstOld);
    expect(changelog.startsWith(`${intro.trimEnd()}\n\n## `)).toBe(true);
    if (firstOld !== -1) expect(changelog.endsWith(`\n${current.changelog!.slice(firstOld)}`)).toBe(true);
    expect(changelog).toMatch(/\n## \d{4}-\d{2}-\d{2} — platform 2024-07-10 → 2024-07-31\n/);
    expect(changelog).toContain(
      "- Added optional property `ClusterMetadata.kubeDnsIp`. Used by ListClusters, GetCluster, CreateCluster, UpdateCluster.",
    );
    expect(await formatMarkdown(changelog)).toBe(changelog);

    const again = await updatePins(root, { apis: ["platform"], from: REVISIONS_DIR, env });
    expect(again.updated).toEqual([]);
    expect(again.drifts.map((d) => d.report)).toEqual([undefined]);
    expect(await pinnedState(root)).toEqual(updated);
  }, 120_000);

  it("refuses a breaking update unless --allow-breaking, and pins one from outside the revision folders", async () => {
    const root = await newRoot();
    const before = await pinnedState(root);
    const text = editedRevision("platform", "2024-07-31", (doc) => delete doc.paths[LIST_CLUSTERS]!.get);
    const from = await incoming(root, "2024-08-01.yaml", text);

    const refused = await fails(run(tsx, [cli, "--root", root, "--from", from], { env: cliEnv }));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("[breaking] Removed operation ListClusters.");
    expect(refused.stdout).toContain("Semver bump: major.");
    expect(refused.stderr).toMatch(
      /error: refusing a breaking update of platform \(1 breaking\).*--allow-breaking/,
    );
    expect(await pinnedState(root)).toEqual(before);

    const accepted = await updatePins(root, { apis: ["platform"], from, env, allowBreaking: true });
    expect(accepted.bump).toBe("major");
    const pins = await readPins(root);
    expect(pins.platform).toMatchObject({
      revision: "2024-08-01",
      file: "platform/v1beta1/2024-08-01.yaml",
      sha256: sha256(text),
    });
    // Outside every revisions folder, the new pin resolves from the download cache.
    expect(await readFile(cacheFile(root, "platform", sha256(text)), "utf8")).toBe(text);
    expect((await resolveSpec(root, "platform", pins.platform, { env })).text).toBe(text);
    const after = await pinnedState(root);
    expect(after.generated["platform.ts"]).not.toContain("ListClusters");
    expect(after.generated["iam.ts"]).toBe(before.generated["iam.ts"]);
    expect(after.changelog).toMatch(
      /## \d{4}-\d{2}-\d{2} — platform 2024-07-31 → 2024-08-01\n\n.*\n\n### Breaking changes\n\n- `GET \/organizations\/\{organizationId\}\/clusters`: Removed operation ListClusters\.\n/,
    );
  }, 120_000);

  it("changes nothing when the new revision is invalid YAML or invalid OpenAPI", async () => {
    for (const text of [
      "openapi: 3.0.3\ninfo: {title: x\n",
      editedRevision(
        "platform",
        "2024-07-31",
        (doc) => (doc.paths[LIST_CLUSTERS]!.get!.responses = 7 as never),
      ),
    ]) {
      const root = await newRoot();
      const before = await pinnedState(root);
      const from = await incoming(root, "broken.yaml", text);
      const attempt = updatePins(root, { apis: ["platform"], from, env, allowBreaking: true });
      await expect(attempt).rejects.toBeInstanceOf(InvalidSpecError);
      expect(await pinnedState(root)).toEqual(before);
    }
  });

  it("puts the pin back when generation fails after the pin was written", async () => {
    const root = await newRoot();
    const before = await pinnedState(root);
    const text = editedRevision("platform", "2024-07-31", (doc) => {
      // Valid OpenAPI, but no rule or override classifies the new operation.
      doc.paths["/organizations/{organizationId}/frobnicate"] = {
        post: { operationId: "FrobnicateOrganization", responses: { "204": { description: "Done" } } },
      };
    });
    const from = await incoming(root, "2024-08-02.yaml", text);
    await expect(updatePins(root, { apis: ["platform"], from, env })).rejects.toThrow(/is not classified/);
    expect(await pinnedState(root)).toEqual(before);
  });

  it("downloads the newest revision from the upstream URL, names it by the day, and pins it", async () => {
    const newest = editedRevision("platform", "2024-07-31", () => {});
    const server = await startRecordingServer((_, res) => res.end(newest));
    defer(server.close);
    const root = await newRoot();
    await pinAt(root, "platform", "2024-07-10");
    const pins = await readPins(root);
    await writePins(root, {
      ...pins,
      platform: { ...pins.platform, upstream: `${server.url}/spec/platform/v1beta1` },
    });
    // No revisions folder: the pinned documents come from the cache, as after earlier downloads.
    await cacheRevision(root, "platform", "2024-07-10");
    await cacheRevision(root, "iam", "2024-07-31");
    await cacheRevision(root, "v1", "2026-07-23");

    const result = await updatePins(root, { apis: ["platform"], env: {}, today: "2030-01-02" });
    expect(result.updated).toEqual(["platform"]);
    expect(result.bump).toBe("minor");
    expect((await readPins(root)).platform).toMatchObject({
      revision: "2030-01-02",
      file: "platform/v1beta1/2030-01-02.yaml",
      sha256: sha256(newest),
    });
    expect(server.received.map((r) => r.url)).toEqual(["/spec/platform/v1beta1"]);
    expect((await pinnedState(root)).changelog).toContain("## 2030-01-02 — platform 2024-07-10 → 2030-01-02");

    server.handle((_, res) => {
      res.statusCode = 503;
      res.end();
    });
    const before = await pinnedState(root);
    await expect(updatePins(root, { apis: ["platform"], env: {} })).rejects.toThrow(/HTTP 503/);
    expect(await pinnedState(root)).toEqual(before);
  }, 120_000);
});
