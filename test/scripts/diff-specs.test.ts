import { beforeAll, describe, expect, it } from "vitest";
import type { ApiChange } from "../../scripts/drift/api-change.js";
import { diffSpecs, type SpecDiff } from "../../scripts/drift/diff-document.js";
import type { OpenApiDocument, SchemaObject } from "../../scripts/openapi/document.js";
import { API_NAMES, type ApiName } from "../../src/operations/manifest.js";
import { loadSpec } from "../../scripts/openapi/load.js";
import { schemaUsage } from "../../scripts/drift/schema-usage.js";
import { semverBump } from "../../scripts/drift/semver-bump.js";
import { parseSpec } from "../../scripts/openapi/parse.js";
import { NO_CORPUS, pinnedFacts, revisions, revisionText, type Revision } from "../helpers/revisions.js";

const name = (revision: Revision) =>
  revision.file
    .split("/")
    .pop()!
    .replace(/\.yaml$/, "");

/** Every consecutive pair of the real history, diffed both ways, keyed `api old→new`. */
const history = new Map<string, { forward: SpecDiff; backward: SpecDiff; from: Revision; to: Revision }>();
/** The pinned (newest) revision of each API, from its facts-only document: present in every clone. */
const newest = Object.fromEntries(
  API_NAMES.map((api) => [api, parseSpec(pinnedFacts(api), `${api}.facts.json`)]),
) as Record<ApiName, OpenApiDocument>;

beforeAll(async () => {
  if (NO_CORPUS) return;
  for (const api of API_NAMES) {
    const list = revisions(api);
    const docs = await Promise.all(list.map((r) => loadSpec(revisionText(r), r.file)));
    for (let i = 1; i < list.length; i++) {
      history.set(`${api} ${name(list[i - 1]!)}→${name(list[i]!)}`, {
        forward: diffSpecs(docs[i - 1]!, docs[i]!),
        backward: diffSpecs(docs[i]!, docs[i - 1]!),
        from: list[i - 1]!,
        to: list[i]!,
      });
    }
  }
}, 60_000);

function pair(key: string): SpecDiff {
  const found = history.get(key);
  if (!found) throw new Error(`no pair ${key} in the history`);
  return found.forward;
}

function ofType(diff: SpecDiff, type: ApiChange["type"]): ApiChange[] {
  return diff.changes.filter((c) => c.type === type);
}

/** The newest revision of `api`, changed by `edit`, diffed against the original. */
function mutated(api: ApiName, edit: (doc: OpenApiDocument) => void): SpecDiff {
  const after = structuredClone(newest[api]);
  edit(after);
  return diffSpecs(newest[api], after);
}

function schema(doc: OpenApiDocument, name: string): SchemaObject {
  return doc.components!.schemas![name]!;
}

function property(doc: OpenApiDocument, schemaName: string, prop: string): SchemaObject {
  return schema(doc, schemaName).properties![prop] as SchemaObject;
}

const CLUSTER_OPERATIONS = [
  "GET /organizations/{organizationId}/clusters",
  "GET /organizations/{organizationId}/clusters/{clusterId}",
  "POST /organizations/{organizationId}/clusters",
  "POST /organizations/{organizationId}/clusters/{clusterId}",
];

describe.skipIf(NO_CORPUS)("replaying the real history", () => {
  it("diffs every consecutive pair of both APIs, in both directions", () => {
    expect(history.size).toBe(revisions("platform").length - 1 + revisions("iam").length - 1);
    expect(history.size).toBe(24);
    for (const [key, { forward, backward }] of history) {
      // What one direction adds, the other removes: a check on the comparison's symmetry.
      const added = (d: SpecDiff, type: ApiChange["type"]) =>
        ofType(d, type)
          .map((c) => c.location)
          .sort();
      expect(added(forward, "operation-added"), key).toEqual(added(backward, "operation-removed"));
      expect(added(forward, "schema-added"), key).toEqual(added(backward, "schema-removed"));
      expect(added(forward, "property-added"), key).toEqual(added(backward, "property-removed"));
      expect(forward.documentationEdits, key).toBe(backward.documentationEdits);
      expect(forward.breaking, key).toBe(forward.changes.some((c) => c.breaking));
    }
  });

  it("sees the 2024-05-01.1 Platform operations published and withdrawn three minutes later", () => {
    const { from, to } = history.get("platform 2024-05-01.1→2024-05-01.2")!;
    expect(Date.parse(to.published) - Date.parse(from.published)).toBeLessThan(5 * 60_000);
    const deploys = "/organizations/{organizationId}/deployments/{deploymentId}/deploys";
    const published = pair("platform 2024-04-24→2024-05-01.1");
    expect(ofType(published, "operation-added").map((c) => [c.location, c.message])).toEqual([
      [`GET ${deploys}`, "Added operation ListDeploys."],
      [`POST ${deploys}`, "Added operation CreateDeploy."],
    ]);
    expect(published.breaking).toBe(false);
    expect(ofType(published, "schema-added").map((c) => c.schema)).toEqual([
      "CreateDeployRequest",
      "Deploy",
      "DeploysPaginated",
    ]);

    const withdrawn = pair("platform 2024-05-01.1→2024-05-01.2");
    expect(ofType(withdrawn, "operation-removed").map((c) => c.location)).toEqual([
      `GET ${deploys}`,
      `POST ${deploys}`,
    ]);
    expect(withdrawn.changes.every((c) => c.breaking)).toBe(true);
    expect(semverBump(withdrawn)).toBe("major");
  });

  it("finds the enum values added to Cluster.status and classifies them as breaking responses", () => {
    for (const [key, value] of [
      ["platform 2023-09-26→2024-03-25", "UPDATE_FAILED"],
      ["platform 2024-05-23.2→2024-06-10", "ACCESS_DENIED"],
      ["platform 2024-06-12→2024-06-20", "UPGRADE_PENDING"],
    ] as const) {
      const [change] = ofType(pair(key), "enum-value-added").filter((c) => c.schema === "Cluster");
      expect(change, key).toMatchObject({
        breaking: true,
        location: "#/components/schemas/Cluster/properties/status",
        message: `Added value \`${value}\` to the enum of \`Cluster.status\`.`,
        operations: CLUSTER_OPERATIONS,
      });
    }
    expect(pair("platform 2024-06-12→2024-06-20").changes).toHaveLength(1);
  });

  it("attributes a change in a nested schema to the operations that reach it through $refs", () => {
    // ClusterMetadata is reached only through Cluster.metadata.
    const diff = pair("platform 2024-07-10→2024-07-31");
    expect(diff.changes).toEqual([
      {
        type: "property-added",
        breaking: false,
        location: "#/components/schemas/ClusterMetadata/properties/kubeDnsIp",
        message: "Added optional property `ClusterMetadata.kubeDnsIp`.",
        schema: "ClusterMetadata",
        operations: CLUSTER_OPERATIONS,
      },
    ]);
    expect(semverBump(diff)).toBe("minor");
  });

  it("finds schemas and operations added to IAM for allowed IP address ranges", () => {
    const diff = pair("iam 2024-06-12→2024-07-31");
    expect(ofType(diff, "operation-added").map((c) => diff.operationIds[c.location])).toEqual([
      "ListAllowedIpAddressRanges",
      "CreateAllowedIpAddressRange",
      "DeleteAllowedIpAddressRange",
    ]);
    expect(ofType(diff, "schema-added").map((c) => c.schema)).toEqual([
      "AllowedIpAddressRange",
      "AllowedIpAddressRangesPaginated",
      "CreateAllowedIpAddressRangeRequest",
    ]);
    expect(diff.breaking).toBe(false);
  });

  it("compares a reference that now points at another schema by structure", () => {
    // 2024-03-25 replaced MutateWorkerQueueRequest with WorkerQueueRequest in the deployment requests.
    const diff = pair("platform 2023-09-26→2024-03-25");
    const required = diff.changes.find(
      (c) => c.type === "property-required" && c.schema === "CreateDedicatedDeploymentRequest",
    );
    expect(required).toMatchObject({
      breaking: true,
      location: "#/components/schemas/WorkerQueueRequest/properties/astroMachine",
      message: "`CreateDedicatedDeploymentRequest.workerQueues[].astroMachine` is now required.",
      operations: ["POST /organizations/{organizationId}/deployments"],
    });
    expect(ofType(diff, "schema-removed").map((c) => c.schema)).toEqual(["MutateWorkerQueueRequest"]);
  });

  it("counts description-only revisions as documentation edits, not API changes", () => {
    for (const key of [
      "platform 2024-05-16→2024-05-23.1",
      "platform 2024-06-10→2024-06-12",
      "iam 2024-05-23→2024-06-12",
    ]) {
      const diff = pair(key);
      expect(diff.changes, key).toEqual([]);
      expect(diff.documentationEdits, key).toBeGreaterThan(0);
      expect(semverBump(diff), key).toBe("patch");
    }
  });

  it("sees a renamed security scheme as a rename, not a change of requirements", () => {
    const diff = pair("iam 2024-04-11.1→2024-04-11.2");
    expect(diff.changes).toEqual([
      {
        type: "security-scheme-renamed",
        breaking: false,
        location: "#/components/securitySchemes/JWT",
        message: "Security scheme `Bearer` was renamed `JWT`.",
      },
    ]);
  });
});

describe("synthetic changes to the newest revision", () => {
  it("removing an operation is breaking, at METHOD /path", () => {
    const diff = mutated(
      "platform",
      (doc) => delete doc.paths["/organizations/{organizationId}/clusters"]!.get,
    );
    expect(diff.changes).toEqual([
      {
        type: "operation-removed",
        breaking: true,
        location: "GET /organizations/{organizationId}/clusters",
        message: "Removed operation ListClusters.",
      },
    ]);
  });

  it("making a parameter required is breaking; making it optional is not", () => {
    const offset = (doc: OpenApiDocument) =>
      doc.paths["/organizations/{organizationId}/deployments"]!.get!.parameters!.find(
        (p) => "name" in p && p.name === "offset",
      ) as { required?: boolean };
    const required = mutated("platform", (doc) => (offset(doc).required = true));
    expect(required.changes).toEqual([
      {
        type: "parameter-required",
        breaking: true,
        location: "GET /organizations/{organizationId}/deployments",
        message: "The query parameter `offset` is now required.",
      },
    ]);
    const pathParam = mutated("platform", (doc) => {
      const p = doc.paths["/organizations/{organizationId}"]!.get!.parameters![0] as { required?: boolean };
      p.required = false;
    });
    expect(pathParam.changes.map((c) => [c.type, c.breaking])).toEqual([["parameter-optional", false]]);
  });

  it("adding a required parameter is breaking, an optional one is not", () => {
    const diff = mutated("platform", (doc) => {
      const list = doc.paths["/organizations"]!.get!.parameters!;
      list.push({ name: "region", in: "query", required: true, schema: { type: "string" } });
      list.push({ name: "cursor", in: "query", schema: { type: "string" } });
    });
    expect(diff.changes.map((c) => [c.type, c.breaking, c.message])).toEqual([
      ["parameter-added", true, "Added required query parameter `region`."],
      ["parameter-added", false, "Added optional query parameter `cursor`."],
    ]);
  });

  it("removing a response property is breaking and attributed to every operation returning it", () => {
    const diff = mutated("platform", (doc) => delete schema(doc, "Deployment").properties!.namespace);
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]).toMatchObject({
      type: "property-removed",
      breaking: true,
      location: "#/components/schemas/Deployment/properties/namespace",
      message: "Removed property `Deployment.namespace`.",
      schema: "Deployment",
    });
    expect(diff.changes[0]!.operations).toEqual(
      expect.arrayContaining([
        "GET /organizations/{organizationId}/deployments",
        "GET /organizations/{organizationId}/deployments/{deploymentId}",
        "POST /organizations/{organizationId}/deployments",
      ]),
    );
  });

  it("a property called `description` is a property, not documentation", () => {
    const diff = mutated("platform", (doc) => delete schema(doc, "Deployment").properties!.description);
    expect(diff.changes.map((c) => [c.type, c.location])).toEqual([
      ["property-removed", "#/components/schemas/Deployment/properties/description"],
    ]);
    expect(diff.documentationEdits).toBe(0);
  });

  it("changing a type is breaking on either side", () => {
    const response = mutated(
      "platform",
      (doc) => (property(doc, "Deployment", "isCicdEnforced").type = "string"),
    );
    expect(response.changes.map((c) => [c.type, c.breaking, c.message])).toEqual([
      ["type-changed", true, "`Deployment.isCicdEnforced` changed type from boolean to string."],
    ]);
    const parameter = mutated("platform", (doc) => {
      const limit = doc.paths["/organizations/{organizationId}/workspaces"]!.get!.parameters!.find(
        (p) => "name" in p && p.name === "limit",
      ) as { schema: SchemaObject };
      limit.schema.type = "string";
    });
    expect(parameter.changes.map((c) => [c.type, c.breaking, c.location])).toEqual([
      ["type-changed", true, "GET /organizations/{organizationId}/workspaces"],
    ]);
  });

  it("enum rule: a value added to a response enum breaks, one added to a request enum does not", () => {
    const response = mutated("platform", (doc) => property(doc, "Deployment", "status").enum!.push("PAUSED"));
    expect(response.changes.map((c) => [c.type, c.breaking, c.message])).toEqual([
      ["enum-value-added", true, "Added value `PAUSED` to the enum of `Deployment.status`."],
    ]);
    const request = mutated("platform", (doc) =>
      property(doc, "CreateHybridDeploymentRequest", "executor").enum!.push("ASTRO"),
    );
    expect(request.changes.map((c) => [c.type, c.breaking])).toEqual([["enum-value-added", false]]);
    expect(semverBump(request)).toBe("minor");
  });

  it("enum rule: a value removed from a request enum breaks, one removed from a response enum does not", () => {
    const request = mutated("platform", (doc) =>
      property(doc, "CreateHybridDeploymentRequest", "executor").enum!.pop(),
    );
    expect(request.changes.map((c) => [c.type, c.breaking, c.message])).toEqual([
      [
        "enum-value-removed",
        true,
        "Removed value `KUBERNETES` from the enum of `CreateHybridDeploymentRequest.executor`.",
      ],
    ]);
    const response = mutated("platform", (doc) => property(doc, "Deployment", "status").enum!.pop());
    expect(response.changes.map((c) => [c.type, c.breaking])).toEqual([["enum-value-removed", false]]);
  });

  it("enum rule: a schema used on both sides breaks either way", () => {
    // IAM's WorkspaceRole is sent when updating roles and returned with users, teams and tokens.
    expect([...schemaUsage(newest.iam).get("WorkspaceRole")!.directions].sort()).toEqual([
      "request",
      "response",
    ]);
    const added = mutated("iam", (doc) =>
      property(doc, "WorkspaceRole", "role").enum!.push("WORKSPACE_VIEWER"),
    );
    const removed = mutated("iam", (doc) => property(doc, "WorkspaceRole", "role").enum!.shift());
    expect([...added.changes, ...removed.changes].map((c) => [c.type, c.breaking])).toEqual([
      ["enum-value-added", true],
      ["enum-value-removed", true],
    ]);
  });

  it("editing only descriptions, summaries and examples is not an API change", () => {
    const diff = mutated("platform", (doc) => {
      schema(doc, "Deployment").description = "Rewritten.";
      property(doc, "Deployment", "status").example = "HIBERNATING";
      doc.paths["/organizations"]!.get!.summary = "List every Organization";
    });
    expect(diff.changes).toEqual([]);
    expect(diff.documentationEdits).toBe(3);
    expect(diff.breaking).toBe(false);
    expect(semverBump(diff)).toBe("patch");
  });

  it("making a response property optional breaks; making a request property optional does not", () => {
    const diff = mutated("iam", (doc) => {
      schema(doc, "User").required = schema(doc, "User").required!.filter((p) => p !== "username");
      const create = schema(doc, "CreateTeamRequest");
      create.required = create.required!.filter((p) => p !== "name");
    });
    expect(diff.changes.map((c) => [c.type, c.breaking, c.location])).toEqual([
      ["property-optional", false, "#/components/schemas/CreateTeamRequest/properties/name"],
      ["property-optional", true, "#/components/schemas/User/properties/username"],
    ]);
  });

  it("terminates on recursive schemas and still reports changes inside them", () => {
    const recursive = (doc: OpenApiDocument, schemaName: string, extra: Record<string, SchemaObject>) => {
      doc.components!.schemas![schemaName] = {
        type: "object",
        properties: { child: { $ref: `#/components/schemas/${schemaName}` }, ...extra },
      };
      const ok = doc.paths["/organizations"]!.get!.responses["200"] as {
        content: Record<string, { schema: unknown }>;
      };
      ok.content["application/json"]!.schema = { $ref: `#/components/schemas/${schemaName}` };
    };
    const before = structuredClone(newest.platform);
    recursive(before, "Tree", {});
    const after = structuredClone(newest.platform);
    recursive(after, "Node", { label: { type: "string" } });
    const diff = diffSpecs(before, after);
    expect(
      diff.changes.filter((c) => c.location.startsWith("GET /organizations")).map((c) => c.message),
    ).toEqual(["Added optional property `label` in the response 200 body."]);
    expect(ofType(diff, "schema-added").map((c) => c.schema)).toEqual(["Node"]);
  });

  it("reports security and server changes", () => {
    const diff = mutated("iam", (doc) => {
      doc.security = [{ JWT: [] }, { ApiKey: [] }];
      (doc.components!.securitySchemes as Record<string, unknown>).ApiKey = {
        type: "apiKey",
        in: "header",
        name: "X-Key",
      };
      doc.servers = [{ url: "https://api.example.test/iam/v1" }];
    });
    expect(diff.changes.map((c) => [c.type, c.breaking, c.location])).toEqual([
      ["security-scheme-added", false, "#/components/securitySchemes/ApiKey"],
      ["security-changed", false, "#/security"],
      ["server-removed", true, "#/servers"],
      ["server-added", false, "#/servers"],
    ]);
    const stricter = mutated("iam", (doc) => (doc.security = [{ JWT: [], Other: [] }]));
    expect(ofType(stricter, "security-changed").map((c) => c.breaking)).toEqual([true]);
  });
});
