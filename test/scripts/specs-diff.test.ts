import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { diffSources } from "../../scripts/drift/diff-sources.js";
import { renderJson } from "../../scripts/drift/render-report.js";
import { cleanupAfterEach } from "../helpers/cleanup.js";
import { startRecordingServer } from "../helpers/recording-server.js";
import { NO_CORPUS, REVISIONS_DIR, ROOT, revisionNamed, revisionText } from "../helpers/revisions.js";

const run = promisify(execFile);
const tsx = join(ROOT, "node_modules", ".bin", "tsx");
const cli = join(ROOT, "scripts", "bin", "specs-diff.ts");
const file = (api: "platform" | "iam", name: string) => join(REVISIONS_DIR, revisionNamed(api, name).file);

const { defer } = cleanupAfterEach();

// Corpus tests: they run the drift tools over Astronomer's real revisions.
describe.skipIf(NO_CORPUS)("specs:diff", () => {
  it("prints a report of two real revisions grouped by operation", async () => {
    const { stdout } = await run(tsx, [
      cli,
      file("platform", "2024-05-01.1"),
      file("platform", "2024-05-01.2"),
    ]);
    expect(stdout).toMatch(
      /^platform 2024-05-01\.1 → 2024-05-01\.2\n5 API changes \(5 breaking\), .* Semver bump: major\.\n/,
    );
    expect(stdout).toContain(
      "  GET /organizations/{organizationId}/deployments/{deploymentId}/deploys  ListDeploys\n    - [breaking] Removed operation ListDeploys.\n",
    );
    expect(stdout).toContain("  - [breaking] Removed schema `Deploy`.  (#/components/schemas/Deploy)\n");
  });

  it("reads a revision from a URL and names the API from the document", async () => {
    const server = await startRecordingServer((_, res) =>
      res.end(revisionText(revisionNamed("iam", "2024-07-31"))),
    );
    defer(server.close);
    const report = await diffSources(file("iam", "2024-06-12"), `${server.url}/latest`);
    expect(report).toMatchObject({ api: "iam", from: "2024-06-12", to: `${server.url}/latest` });
    expect(report.diff.changes).toContainEqual({
      type: "operation-added",
      breaking: false,
      location: "DELETE /organizations/{organizationId}/allowed-ip-address-ranges/{allowedIpAddressRangeId}",
      message: "Added operation DeleteAllowedIpAddressRange.",
    });
    expect(server.received.map((r) => r.url)).toEqual(["/latest"]);
    expect(JSON.parse(renderJson(report))).toMatchObject({ api: "iam", breaking: false, semver: "minor" });
  });

  it("names the file that is missing", async () => {
    await expect(diffSources(file("iam", "2024-06-12"), join(REVISIONS_DIR, "nope.yaml"))).rejects.toThrow(
      /nope\.yaml: no such file/,
    );
  });
});
