import { mkdtemp, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classify, classifyByRule, readOverrides } from "../../scripts/generate/classify.js";
import { PipelineError } from "../../scripts/shared/errors.js";

describe("classification rules", () => {
  it.each([
    ["get", "/organizations/{organizationId}/teams", "ListTeams", { kind: "read", idempotent: true }],
    [
      "delete",
      "/organizations/{organizationId}/teams/{teamId}",
      "DeleteTeam",
      { kind: "delete", idempotent: true },
    ],
    ["post", "/organizations/{organizationId}/teams", "CreateTeam", { kind: "create", idempotent: false }],
    [
      "post",
      "/organizations/{organizationId}/teams/{teamId}",
      "UpdateTeam",
      { kind: "update", idempotent: true },
    ],
    [
      "post",
      "/organizations/{organizationId}/teams/{teamId}/roles",
      "UpdateTeamRoles",
      { kind: "update", idempotent: true },
    ],
    ["put", "/things/{id}", "PutThing", { kind: "update", idempotent: true }],
  ])("%s %s (%s)", (method, path, operationId, expected) => {
    expect(classifyByRule(method, path, operationId)).toEqual(expected);
  });

  it("leaves what it cannot decide undecided", () => {
    expect(classifyByRule("post", "/organizations/{o}/tokens/{t}/rotate", "RotateApiToken")).toBeUndefined();
    // "Create" on an item path is not a plain create.
    expect(classifyByRule("post", "/things/{id}", "CreateThingVersion")).toBeUndefined();
    expect(classifyByRule("patch", "/things/{id}", "PatchThing")).toBeUndefined();
  });

  it("fails on an operation no rule or override classifies, naming it and the file to edit", () => {
    const attempt = () =>
      classify("iam", "post", "/organizations/{o}/tokens/{t}/rotate", "RotateApiToken", {});
    expect(attempt).toThrow(PipelineError);
    expect(attempt).toThrow(
      /iam: POST \/organizations\/\{o\}\/tokens\/\{t\}\/rotate \(RotateApiToken\) is not classified/,
    );
    expect(attempt).toThrow(/openapi\/classification\.yaml/);
  });

  it("lets an override win over a rule", () => {
    const overrides = {
      platform: { UpdateThing: { kind: "action" as const, idempotent: false, why: "test" } },
    };
    expect(classify("platform", "post", "/things/{id}", "UpdateThing", overrides)).toEqual({
      kind: "action",
      idempotent: false,
    });
  });
});

describe("openapi/classification.yaml", () => {
  async function rootWith(yaml: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "astro-classify-"));
    await mkdir(join(dir, "openapi"));
    await writeFile(join(dir, "openapi", "classification.yaml"), yaml);
    return dir;
  }

  it("rejects an entry without a reason, an unknown kind, or an unknown API", async () => {
    await expect(
      readOverrides(await rootWith("iam:\n  X:\n    kind: action\n    idempotent: false\n")),
    ).rejects.toThrow(/iam\.X: why must say why/);
    await expect(
      readOverrides(await rootWith("iam:\n  X:\n    kind: replace\n    idempotent: true\n    why: w\n")),
    ).rejects.toThrow(/iam\.X: kind must be one of read, create, update, delete, action/);
    await expect(readOverrides(await rootWith("billing:\n  X: {}\n"))).rejects.toThrow(
      /unknown API "billing"/,
    );
    await expect(
      readOverrides(await rootWith("iam:\n  X:\n    kind: action\n    idempotent: maybe\n    why: w\n")),
    ).rejects.toThrow(/idempotent must be true or false/);
  });
});
