import { describe, expect, it } from "vitest";
import { diffSpecs } from "../../scripts/drift/diff-document.js";
import type { OpenApiDocument } from "../../scripts/openapi/document.js";
import { parseSpec } from "../../scripts/openapi/parse.js";
import {
  renderJson,
  renderMarkdown,
  renderText,
  reportHeading,
  type DiffReport,
} from "../../scripts/drift/render-report.js";
import { NO_CORPUS, revisionNamed, revisionText } from "../helpers/revisions.js";

const parsed = new Map<string, OpenApiDocument>();

function doc(name: string): OpenApiDocument {
  if (!parsed.has(name)) {
    const revision = revisionNamed("platform", name);
    parsed.set(name, parseSpec(revisionText(revision), revision.file));
  }
  return parsed.get(name)!;
}

function report(from: string, to: string): DiffReport {
  return { api: "platform", from, to, diff: diffSpecs(doc(from), doc(to)) };
}

describe.skipIf(NO_CORPUS)("renderText", () => {
  it("groups by operation, lists each schema change once, and says what breaks", () => {
    const text = renderText(report("2024-05-23.2", "2024-06-10"));
    expect(text).toBe(
      [
        "platform 2024-05-23.2 → 2024-06-10",
        "1 API change (1 breaking), 0 documentation edits (not API changes). Semver bump: major.",
        "",
        "Operations",
        "  GET /organizations/{organizationId}/clusters  ListClusters",
        "    - [breaking] through changed schemas: Cluster",
        "  POST /organizations/{organizationId}/clusters  CreateCluster",
        "    - [breaking] through changed schemas: Cluster",
        "  GET /organizations/{organizationId}/clusters/{clusterId}  GetCluster",
        "    - [breaking] through changed schemas: Cluster",
        "  POST /organizations/{organizationId}/clusters/{clusterId}  UpdateCluster",
        "    - [breaking] through changed schemas: Cluster",
        "",
        "Schemas",
        "  - [breaking] Added value `ACCESS_DENIED` to the enum of `Cluster.status`.  (#/components/schemas/Cluster/properties/status)",
        "",
      ].join("\n"),
    );
  });

  it("lists an added operation's own changes without repeating its new schemas", () => {
    const text = renderText(report("2024-04-24", "2024-05-01.1"));
    expect(text).toContain(
      "  GET /organizations/{organizationId}/deployments/{deploymentId}/deploys  ListDeploys\n    - Added operation ListDeploys.\n  POST",
    );
    expect(text).not.toContain("through changed schemas");
  });
});

describe.skipIf(NO_CORPUS)("renderJson", () => {
  it("prints { api, from, to, breaking, changes: [{ type, breaking, location, message }] }", () => {
    const json = JSON.parse(renderJson(report("2024-05-01.1", "2024-05-01.2"))) as Record<string, unknown>;
    expect(json).toMatchObject({
      api: "platform",
      from: "2024-05-01.1",
      to: "2024-05-01.2",
      breaking: true,
      semver: "major",
    });
    expect(json.changes).toContainEqual({
      type: "operation-removed",
      breaking: true,
      location: "GET /organizations/{organizationId}/deployments/{deploymentId}/deploys",
      message: "Removed operation ListDeploys.",
    });
  });
});

describe.skipIf(NO_CORPUS)("renderMarkdown", () => {
  it("lists breaking changes first, in plain words, with the operations a schema change reaches", () => {
    const r = report("2023-09-26", "2024-03-25");
    const markdown = renderMarkdown(r, reportHeading(r, "2024-03-26"));
    expect(markdown.startsWith("## 2024-03-26 — platform 2023-09-26 → 2024-03-25\n\n")).toBe(true);
    const breaking = markdown.indexOf("### Breaking changes");
    const other = markdown.indexOf("### Other changes");
    expect(breaking).toBeGreaterThan(0);
    expect(other).toBeGreaterThan(breaking);
    const between = markdown.slice(breaking, other);
    expect(between).toContain(
      "- Added value `HIBERNATING` to the enum of `Deployment.status`. Used by ListDeployments, GetDeployment, CreateDeployment, UpdateDeployment.",
    );
    expect(markdown.slice(other)).toContain(
      "- `DELETE /organizations/{organizationId}/deployments/{deploymentId}/hibernation-override`: Added operation DeleteDeploymentHibernationOverride.",
    );
    expect(markdown.slice(other)).not.toContain("[breaking]");
  });

  it("says when only documentation changed", () => {
    const r = report("2024-05-16", "2024-05-23.1");
    expect(renderMarkdown(r, reportHeading(r))).toContain(
      "Only descriptions, examples and other documentation changed.",
    );
  });
});
