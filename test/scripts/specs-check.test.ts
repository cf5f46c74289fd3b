import { execFile } from "node:child_process";
import { join } from "node:path";
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
import { REVISIONS_DIR, ROOT, revisionNamed, revisionText } from "../helpers/revisions.js";

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

describe("specs:check", () => {
  it("exits 0 on this repository: the pins are the newest revisions in the shared folder", async () => {
    const result = await check(["--from", REVISIONS_DIR], process.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("platform: the pinned revision 2024-07-31 is current");
    expect(result.stdout).toContain("iam: the pinned revision 2024-07-31 is current");
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
});
