import { describe, expect, it } from "vitest";
import { buildManifest, type ManifestEntry } from "../../scripts/generate/build-manifest.js";
import { readOverrides } from "../../scripts/generate/classify.js";
import { parseSpec } from "../../scripts/openapi/parse.js";
import { DOCUMENT_NAMES, type DocumentName } from "../../src/operations/manifest.js";
import {
  NO_CORPUS,
  pinnedFacts,
  ROOT,
  revisionNamed,
  revisions,
  revisionText,
} from "../helpers/revisions.js";

const overrides = await readOverrides(ROOT);

/** The manifest of a revision from the corpus (skipped without it). */
function manifestOf(api: DocumentName, name: string): ManifestEntry[] {
  const revision = revisionNamed(api, name);
  return buildManifest(api, parseSpec(revisionText(revision), revision.file), overrides);
}

/** The manifest of the pinned revision, from its facts-only document (present in every clone). */
function pinnedManifest(api: DocumentName): ManifestEntry[] {
  return buildManifest(api, parseSpec(pinnedFacts(api), `${api}.facts.json`), overrides);
}

function byId(entries: ManifestEntry[], operationId: string): ManifestEntry {
  const entry = entries.find((e) => e.operationId === operationId);
  if (!entry) throw new Error(`no ${operationId}`);
  return entry;
}

describe("manifest of the real revisions", () => {
  it.skipIf(NO_CORPUS)("counts the operations of the oldest and newest documents", () => {
    expect(manifestOf("platform", "2023-09-26")).toHaveLength(20);
    expect(manifestOf("platform", "2024-07-31")).toHaveLength(28);
    expect(manifestOf("iam", "2023-09-26")).toHaveLength(21);
    expect(manifestOf("iam", "2024-07-31")).toHaveLength(31);
  });

  it.skipIf(NO_CORPUS)("classifies every operation of every revision in the history", () => {
    for (const api of DOCUMENT_NAMES) {
      for (const revision of revisions(api)) {
        const entries = buildManifest(api, parseSpec(revisionText(revision), revision.file), overrides);
        expect(entries.length, revision.file).toBeGreaterThan(0);
        for (const entry of entries)
          expect(["read", "create", "update", "delete", "action"]).toContain(entry.kind);
      }
    }
  });

  it("follows the API's idempotency rules", () => {
    const platform = pinnedManifest("platform");
    const iam = pinnedManifest("iam");
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
    const platform = pinnedManifest("platform");
    const iam = pinnedManifest("iam");
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
    const iam = pinnedManifest("iam");
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
    const platform = pinnedManifest("platform");
    const list = byId(platform, "ListDeployments");
    expect(list.pathParams).toEqual(["organizationId"]);
    expect(list.queryParams).toContainEqual({ name: "workspaceIds", required: false, array: true });
    expect(list.queryParams).toContainEqual({ name: "limit", required: false, array: false });
    expect(list).toMatchObject({ body: "none", successStatus: 200, jsonResponse: true });
    expect(byId(platform, "DeleteCluster")).toMatchObject({ jsonResponse: false, successStatus: 204 });
    expect(byId(platform, "DeleteDeploymentHibernationOverride").errorStatuses).toEqual(["4XX", "5XX"]);
  });
});

describe("manifest of v1", () => {
  const v1 = pinnedManifest("v1");
  const v1beta1 = [...pinnedManifest("platform"), ...pinnedManifest("iam")];

  it("has 75 operations: every v1beta1 operationId, decided as in v1beta1, and 16 new ones", () => {
    expect(v1).toHaveLength(75);
    for (const old of v1beta1) {
      expect(byId(v1, old.operationId), old.operationId).toMatchObject({
        kind: old.kind,
        idempotent: old.idempotent,
        paginated: old.paginated,
      });
    }
    const known = new Set(v1beta1.map((e) => e.operationId));
    expect(v1.filter((e) => !known.has(e.operationId))).toHaveLength(16);
  });

  it("classifies the new operations: rules where they apply, classification.yaml where they do not", () => {
    const decided = (id: string) => {
      const { kind, idempotent } = byId(v1, id);
      return [kind, idempotent];
    };
    expect(decided("CreateAgentToken")).toEqual(["create", false]);
    expect(decided("CreateEnvironmentObject")).toEqual(["create", false]);
    expect(decided("UpdateEnvironmentObject")).toEqual(["update", true]);
    expect(decided("DeleteAgentToken")).toEqual(["delete", true]);
    expect(decided("GetSelfUser")).toEqual(["read", true]);
    // No rule decides these three: their reasons are in openapi/classification.yaml.
    expect(decided("BulkCreateAllowedIpAddressRanges")).toEqual(["create", false]);
    expect(decided("BulkDeleteAllowedIpAddressRanges")).toEqual(["delete", true]);
    expect(decided("ExcludeLinkingEnvironmentObject")).toEqual(["action", false]);
    for (const id of Object.keys(overrides.v1 ?? {}))
      expect(overrides.v1![id]!.why.length).toBeGreaterThan(20);
  });

  it("says what each success carries: JSON, bytes (audit logs), or nothing", () => {
    expect(byId(v1, "GetOrganizationAuditLogs")).toMatchObject({
      responseBody: "binary",
      jsonResponse: false,
    });
    expect(byId(v1, "DeleteEnvironmentObject")).toMatchObject({ responseBody: "empty", successStatus: 204 });
    expect(byId(v1, "ExcludeLinkingEnvironmentObject")).toMatchObject({ responseBody: "empty" });
    expect(byId(v1, "GetSelfUser")).toMatchObject({ responseBody: "json", jsonResponse: true });
    expect(v1.filter((e) => e.responseBody === "binary").map((e) => e.operationId)).toEqual([
      "GetOrganizationAuditLogs",
    ]);
  });

  it("marks the new paginated reads", () => {
    expect(byId(v1, "ListAgentTokens")).toMatchObject({ paginated: true, itemsKey: "tokens" });
    expect(byId(v1, "ListEnvironmentObjects")).toMatchObject({
      paginated: true,
      itemsKey: "environmentObjects",
    });
    expect(byId(v1, "ListUserTeams")).toMatchObject({ paginated: true, itemsKey: "teams" });
  });
});
