import { sample } from "openapi-sampler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deref } from "../../scripts/openapi/deref.js";
import { loadDocuments } from "../../scripts/contract/contract-documents.js";
import { contractOperations, type ContractOperation } from "../../scripts/contract/contract-operations.js";
import type { MediaType, ResponseObject, SchemaObject } from "../../scripts/openapi/document.js";
import { json } from "../helpers/client.js";
import { alive, eventually, runProgram, type ProgramRun } from "../helpers/prism.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recording-server.js";
import { ROOT } from "../helpers/revisions.js";

const TOKEN = "live-contract-test-token";

/** Runs the script as `npm run contract:live` would, against whatever upstreams it is given. */
function contractLive(args: string[], env: Record<string, string>): Promise<ProgramRun> {
  const base = { ...process.env };
  delete base.ASTRO_API_TOKEN;
  delete base.ASTRO_ORGANIZATION_ID;
  return runProgram(process.execPath, ["--import", "tsx", "scripts/bin/contract-live.ts", ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
  });
}

describe("npm run contract:live", () => {
  let server: RecordingServer;
  let listOrganizations: ContractOperation;
  let getOrganization: ContractOperation;
  let conforming: unknown;
  let nonConforming: Record<string, unknown>;

  beforeAll(async () => {
    const documents = await loadDocuments();
    const operations = contractOperations(documents);
    listOrganizations = operations.find((op) => op.operationId === "ListOrganizations")!;
    getOrganization = operations.find((op) => op.operationId === "GetOrganization")!;
    const doc = documents.find((d) => d.api === "platform")!.doc;
    const schemaOf = (path: string): SchemaObject => {
      const response = deref<ResponseObject>(doc, doc.paths[path]!.get!.responses["200"]!);
      return deref<SchemaObject>(doc, (response.content!["application/json"] as MediaType).schema!);
    };
    conforming = sample(schemaOf("/organizations") as never, { quiet: true }, doc);
    const organization = sample(schemaOf("/organizations/{organizationId}") as never, { quiet: true }, doc);
    // The same organization, with a required field missing and another of the wrong type.
    const { name: _, ...withoutName } = organization as Record<string, unknown>;
    nonConforming = { ...withoutName, isScimEnabled: "yes" };

    // A stand-in for the Astro API, answering the two operations under the real base path.
    server = await startRecordingServer((request, res) => {
      if (request.url === "/platform/v1beta1/organizations") return json(res, 200, conforming);
      if (request.url === "/platform/v1beta1/organizations/org-1") return json(res, 200, nonConforming);
      return json(res, 404, { message: "not here", requestId: "r-1", statusCode: 404 });
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("uses bodies that do and do not conform, by the suite's own validator", () => {
    expect(listOrganizations.validateResponse(200, conforming)).toEqual([]);
    expect(getOrganization.validateResponse(200, nonConforming)).not.toEqual([]);
  });

  it(
    "sends read-only operations through prism proxy and flags exactly the response that breaks the document",
    { timeout: 120_000 },
    async () => {
      const { code, stdout, stderr, prism } = await contractLive(
        [
          "--only",
          "ListOrganizations,GetOrganization",
          "--platform-upstream",
          `${server.url}/platform/v1beta1`,
          "--iam-upstream",
          `${server.url}/iam/v1beta1`,
        ],
        { ASTRO_API_TOKEN: TOKEN, ASTRO_ORGANIZATION_ID: "org-1" },
      );
      expect(stderr).toBe("");
      expect(code).toBe(1);
      expect(stdout).toMatch(/^platform +ListOrganizations +OK +200$/m);
      expect(stdout).toMatch(/^platform +GetOrganization +MISMATCH +200$/m);
      expect(stdout.match(/MISMATCH/g)).toHaveLength(1);
      // Prism's own report of the response, and the same problems found by the suite's validator.
      expect(stdout).toMatch(/^ {4}prism {2}response\.body: .*must have required property 'name'$/m);
      expect(stdout).toMatch(/^ {4}prism {2}response\.body\.isScimEnabled: .*must be boolean$/m);
      expect(stdout).toMatch(/^ {4}ajv {4}response body \(body\) must have required property 'name'$/m);
      expect(stdout).toMatch(/^ {4}ajv {4}response body \/isScimEnabled must be boolean$/m);
      expect(stdout).toContain(
        "2 operations: 1 conform, 1 mismatch, 0 error statuses as declared, 0 skipped",
      );

      // Both requests really crossed the proxy to the stand-in, with the token, which is never printed.
      expect(server.received.map((r) => r.url)).toEqual([
        "/platform/v1beta1/organizations",
        "/platform/v1beta1/organizations/org-1",
      ]);
      expect(server.received.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
      expect(stdout + stderr).not.toContain(TOKEN);

      expect(prism).toHaveLength(1);
      await eventually(() => prism.every((pid) => !alive(pid)));
    },
  );

  it("without ASTRO_API_TOKEN says what to set and contacts nothing", async () => {
    const { code, stdout, stderr, prism } = await contractLive([], {});
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("export ASTRO_API_TOKEN=");
    expect(stderr).toContain("export ASTRO_ORGANIZATION_ID=");
    expect(prism).toEqual([]);
  });
});
