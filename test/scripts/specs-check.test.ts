import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { detectDrift } from "../../scripts/drift/detect-drift.js";
import { InvalidSpecError } from "../../scripts/shared/errors.js";
import { readPins } from "../../scripts/openapi/pins.js";
import { API_NAMES } from "../../src/operations/manifest.js";
import { sha256 } from "../../src/mock/spec-files.js";
import { cacheRevision, editedRevision, pinAt, pinnedState } from "../helpers/pinned-state.js";
import { cleanupAfterEach } from "../helpers/cleanup.js";
import { startRecordingServer } from "../helpers/recording-server.js";
import { NO_CORPUS, REVISIONS_DIR, ROOT, revisionNamed, revisionText } from "../helpers/revisions.js";

const run = promisify(execFile);
const tsx = join(ROOT, "node_modules", ".bin", "tsx");
const cli = join(ROOT, "scripts", "bin", "specs-check.ts");

const { defer, newRoot } = cleanupAfterEach();

/** Runs the CLI and returns its exit code with its output, failing or not. */
async function check(args: string[], env: NodeJS.ProcessEnv) {
  return run(tsx, [cli, ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

// Corpus tests: they run the drift tools over Astronomer's real revisions.
describe.skipIf(NO_CORPUS)("specs:check", () => {
  it("exits 0 on this repository: the pins are the newest revisions in the shared folder", async () => {
    const result = await check(["--from", REVISIONS_DIR], process.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("platform: the pinned revision 2024-07-31 is current");
    expect(result.stdout).toContain("iam: the pinned revision 2024-07-31 is current");
    expect(result.stdout).toContain("v1: the pinned revision 2026-07-23 is current");
    expect(result.stdout).not.toContain("notice");
  });

  it("exits 1 with the diff when a pin is behind, and writes nothing", async () => {
    const root = await newRoot();
    await pinAt(root, "iam", "2024-06-12");
    const before = await pinnedState(root);
    const env = { ...process.env, ASTRO_OPENAPI_DIR: REVISIONS_DIR };
    const result = await check(["--root", root, "--offline", "--markdown"], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("platform: the pinned revision 2024-07-31 is current");
    expect(result.stdout).toContain("## iam 2024-06-12 → 2024-07-31");
    expect(result.stdout).toContain("### Other changes");
    expect(result.stdout).toContain(
      "- `GET /organizations/{organizationId}/allowed-ip-address-ranges`: Added operation ListAllowedIpAddressRanges.",
    );
    expect(result.stderr).toContain(
      `iam: the pin differs from the newest revision; run \`npm run specs:update -- --from ${REVISIONS_DIR}\``,
    );
    expect(await pinnedState(root)).toEqual(before);
  });

  it("compares with the upstream URL by default", async () => {
    const documents: Record<string, string> = {
      "/spec/platform/v1beta1": editedRevision("platform", "2024-07-31", () => {}),
      "/spec/iam/v1beta1": revisionText(revisionNamed("iam", "2024-07-31")),
    };
    const server = await startRecordingServer((req, res) => res.end(documents[req.url]));
    defer(server.close);
    const root = await newRoot();
    await pinAt(root, "platform", "2024-07-10");
    const pins = await readPins(root);
    for (const api of API_NAMES) pins[api].upstream = `${server.url}/spec/${api}/v1beta1`;
    // No revisions folder: the pinned platform document comes from an earlier download.
    await cacheRevision(root, "platform", "2024-07-10");

    const drifts = await detectDrift(root, pins, { apis: API_NAMES, env: {}, today: "2030-01-02" });
    expect(server.received.map((r) => r.url)).toEqual(["/spec/platform/v1beta1", "/spec/iam/v1beta1"]);
    const [platform, iam] = drifts;
    expect(iam!.report).toBeUndefined();
    expect(platform!.report).toMatchObject({ api: "platform", from: "2024-07-10", to: "2030-01-02" });
    expect(platform!.report!.diff.changes.map((c) => c.message)).toEqual([
      "Added optional property `ClusterMetadata.kubeDnsIp`.",
    ]);

    pins.platform = { ...pins.platform, sha256: sha256(documents["/spec/platform/v1beta1"]!) };
    const current = await detectDrift(root, pins, { apis: ["platform"], env: {} });
    expect(current.map((d) => d.report)).toEqual([undefined]);
  });

  it("stops with the problems when the newest revision is not valid OpenAPI", async () => {
    const root = await newRoot();
    const from = join(root, "openapi", "pins.json");
    const drift = detectDrift(root, await readPins(root), { apis: ["iam"], from, env: {} });
    await expect(drift).rejects.toBeInstanceOf(InvalidSpecError);
    await expect(drift).rejects.toThrow(/pins\.json is not a valid OpenAPI document/);
  });

  describe("v1: the pin follows its minor; a later minor is a notice", () => {
    /** The pinned v1.0 document as a later minor would publish it: one more property, another version. */
    // Read when the tests run: the describe body also runs (to collect) where they are skipped.
    const v1_1 = NO_CORPUS
      ? ""
      : editedRevision("v1", "2026-07-23", (doc) => {
          doc.info.version = "v1.1";
          doc.components!.schemas!.Deployment!.properties!.minorOnlyField = { type: "string" };
        });
    const v1_0 = NO_CORPUS ? "" : revisionText(revisionNamed("v1", "2026-07-23"));

    it("upstream: compares the pin with /spec/v1.0 and reports /spec/v1 when its minor is ahead", async () => {
      const documents: Record<string, string> = { "/spec/v1.0": v1_0, "/spec/v1": v1_1 };
      const server = await startRecordingServer((req, res) => res.end(documents[req.url]));
      defer(server.close);
      const root = await newRoot();
      const pins = await readPins(root);
      pins.v1 = { ...pins.v1, upstream: `${server.url}/spec/v1.0`, latest: `${server.url}/spec/v1` };
      // --from a URL names one document: it is compared with the pin, and no latest minor is read.
      const [drift] = await detectDrift(root, pins, {
        apis: ["v1"],
        env: {},
        from: `${server.url}/spec/v1.0`,
      });
      expect(drift!.report).toBeUndefined();
      expect(server.received.map((r) => r.url)).toEqual(["/spec/v1.0"]);

      const [upstream] = await detectDrift(root, pins, {
        apis: ["v1"],
        env: {},
      });
      expect(server.received.map((r) => r.url)).toEqual(["/spec/v1.0", "/spec/v1.0", "/spec/v1"]);
      expect(upstream!.report).toBeUndefined();
      expect(upstream!.minorAhead).toMatchObject({ api: "v1", pinned: "1.0", version: "v1.1" });
      expect(upstream!.minorAhead!.report.diff.changes.map((c) => c.message)).toEqual([
        "Added optional property `Deployment.minorOnlyField`.",
      ]);

      // The latest minor is the pinned one: nothing to say.
      documents["/spec/v1"] = v1_0;
      const [same] = await detectDrift(root, pins, { apis: ["v1"], env: {} });
      expect(same!.minorAhead).toBeUndefined();
    });

    it("CLI: prints the notice with the diff and still exits 0", async () => {
      const root = await newRoot();
      const folder = join(root, "revisions");
      const files = { "v1/v1.0/2026-07-23.yaml": v1_0, "v1/v1.1/2026-09-01.yaml": v1_1 };
      for (const [file, text] of Object.entries(files)) {
        await mkdir(dirname(join(folder, file)), { recursive: true });
        await writeFile(join(folder, file), text);
      }
      const index = {
        revisions: {
          v1: Object.entries(files).map(([file, text]) => ({ file, published: "", sha256: sha256(text) })),
        },
      };
      await writeFile(join(folder, "index.json"), JSON.stringify(index));
      const before = await pinnedState(root);
      // The pinned document itself comes from the real revisions folder.
      const env = { ...process.env, ASTRO_OPENAPI_DIR: REVISIONS_DIR };
      const result = await check(["--root", root, "--api", "v1", "--from", folder], env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("v1: the pinned revision 2026-07-23 is current");
      expect(result.stdout).toContain("notice: v1: the latest minor v1.1 (");
      expect(result.stdout).toContain("is ahead of the pinned minor 1.0. Requests send X-API-Version: 1.0");
      expect(result.stdout).toContain("v1 2026-07-23 (v1.0) → 2026-09-01 (v1.1)");
      expect(result.stdout).toContain("Added optional property `Deployment.minorOnlyField`.");
      expect(await pinnedState(root)).toEqual(before);
    });
  });
});
