import { describe, expect, it } from "vitest";
import { buildManifest, type ManifestEntry } from "../../scripts/generate/build-manifest.js";
import { readOverrides } from "../../scripts/generate/classify.js";
import { parseSpec } from "../../scripts/openapi/parse.js";
import { API_NAMES, type ApiName } from "../../src/operations/manifest.js";
import { ROOT, revisionNamed, revisions, revisionText } from "../helpers/revisions.js";

const overrides = await readOverrides(ROOT);

function manifestOf(api: ApiName, name: string): ManifestEntry[] {
  const revision = revisionNamed(api, name);
  return buildManifest(api, parseSpec(revisionText(revision), revision.file), overrides);
}

function byId(entries: ManifestEntry[], operationId: string): ManifestEntry {
  const entry = entries.find((e) => e.operationId === operationId);
  if (!entry) throw new Error(`no ${operationId}`);
  return entry;
}

describe("manifest of the real revisions", () => {
  it("counts the operations of the oldest and newest documents", () => {
    expect(manifestOf("platform", "2023-09-26")).toHaveLength(20);
    expect(manifestOf("platform", "2024-07-31")).toHaveLength(28);
    expect(manifestOf("iam", "2023-09-26")).toHaveLength(21);
    expect(manifestOf("iam", "2024-07-31")).toHaveLength(31);
  });

  it("classifies every operation of every revision in the history", () => {
    for (const api of API_NAMES) {
      for (const revision of revisions(api)) {
        const entries = buildManifest(api, parseSpec(revisionText(revision), revision.file), overrides);
        expect(entries.length, revision.file).toBeGreaterThan(0);
        for (const entry of entries)
          expect(["read", "create", "update", "delete", "action"]).toContain(entry.kind);
      }
    }
  });

  it("follows the API's idempotency rules", () => {
    const platform = manifestOf("platform", "2024-07-31");
    const iam = manifestOf("iam", "2024-07-31");
    expect(byId(platform, "CreateDeployment")).toMatchObject({
      kind: "create",
      idempotent: false,
      method: "post",
    });
    expect(byId(platform, "UpdateDeployment")).toMatchObject({
      kind: "update",
      idempotent: true,
      method: "post",
    });
    expect(byId(platform, "DeleteDeployment")).toMatchObject({
      kind: "delete",
      idempotent: true,
      successStatus: 204,
    });
    expect(byId(platform, "GetDeployment")).toMatchObject({
      kind: "read",
      idempotent: true,
      paginated: false,
    });
    expect(byId(platform, "FinalizeDeploy")).toMatchObject({ kind: "action", idempotent: false });
    expect(byId(platform, "DeployRollback")).toMatchObject({ kind: "action", idempotent: false });
    expect(byId(platform, "UpdateDeploymentHibernationOverride")).toMatchObject({
      kind: "update",
      idempotent: true,
    });
    expect(byId(iam, "RotateApiToken")).toMatchObject({ kind: "action", idempotent: false });
    expect(byId(iam, "AddTeamMembers")).toMatchObject({ kind: "action", idempotent: false });
    expect(byId(iam, "UpdateTeamRoles")).toMatchObject({ kind: "update", idempotent: true });
    expect(byId(iam, "CreateTeam")).toMatchObject({ kind: "create", idempotent: false, body: "required" });
  });

  it("marks paginated reads with the array that holds the page", () => {
    const platform = manifestOf("platform", "2024-07-31");
    const iam = manifestOf("iam", "2024-07-31");
    expect(byId(platform, "ListDeployments")).toMatchObject({ paginated: true, itemsKey: "deployments" });
    expect(byId(platform, "ListDeploys")).toMatchObject({ paginated: true, itemsKey: "deploys" });
    expect(byId(iam, "ListApiTokens")).toMatchObject({ paginated: true, itemsKey: "tokens" });
    // ListRoles answers `roles` and an optional `defaultRoles`: the page is `roles`.
    expect(byId(iam, "ListRoles")).toMatchObject({ paginated: true, itemsKey: "roles" });
    // Takes no offset/limit.
    expect(byId(iam, "ListRoleTemplates")).toMatchObject({ paginated: false });
    expect(
      platform
        .filter((e) => e.paginated)
        .map((e) => e.operationId)
        .sort(),
    ).toEqual(["ListClusters", "ListDeployments", "ListDeploys", "ListOrganizations", "ListWorkspaces"]);
  });

  it("keeps the two role templates that match the same URLs apart", () => {
    const iam = manifestOf("iam", "2024-07-31");
    expect(byId(iam, "GetCustomRole")).toMatchObject({
      method: "get",
      path: "/organizations/{organizationId}/roles/{roleId}",
    });
    expect(byId(iam, "DeleteCustomRole")).toMatchObject({
      method: "delete",
      path: "/organizations/{organizationId}/roles/{customRoleId}",
      pathParams: ["organizationId", "customRoleId"],
    });
  });

  it("records parameters, bodies and responses", () => {
    const platform = manifestOf("platform", "2024-07-31");
    const list = byId(platform, "ListDeployments");
    expect(list.pathParams).toEqual(["organizationId"]);
    expect(list.queryParams).toContainEqual({ name: "workspaceIds", required: false, array: true });
    expect(list.queryParams).toContainEqual({ name: "limit", required: false, array: false });
    expect(list).toMatchObject({ body: "none", successStatus: 200, jsonResponse: true });
    expect(byId(platform, "DeleteCluster")).toMatchObject({ jsonResponse: false, successStatus: 204 });
    expect(byId(platform, "DeleteDeploymentHibernationOverride").errorStatuses).toEqual(["4XX", "5XX"]);
  });
});
