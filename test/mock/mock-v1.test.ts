import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { specs } from "../../generated/operations.js";
import { servableDocument } from "../../src/mock/binary-responses.js";
import { startAstroMock, type AstroMock } from "../../src/mock/index.js";
import { alive } from "../helpers/prism.js";
import { REVISIONS_DIR } from "../helpers/revisions.js";

// The mock serves any pinned document on request; v1 needs no client to be checked over HTTP.
describe("startAstroMock({ serve: ['v1'] })", () => {
  let mock: AstroMock<"v1">;
  beforeAll(async () => {
    mock = await startAstroMock({ serve: ["v1"], seed: "mock-v1" });
  }, 90_000);
  afterAll(async () => {
    await mock?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${mock.urls.v1}${path}`, { headers: { authorization: "Bearer any", ...headers } });

  it("serves only the document asked for, found and verified like the others", () => {
    expect(Object.keys(mock.urls)).toEqual(["v1"]);
    // The bundled copy when a build is present (the pack test builds one), else the revision file.
    const revision = specs.v1.file.replaceAll(".", "\\.");
    expect(mock.documents.v1).toMatch(new RegExp(`(dist/openapi/v1\\.yaml|${revision})$`));
    expect(alive(mock.pids.v1)).toBe(true);
  });

  it("answers v1 operations, new ones included, from the document's examples", async () => {
    const self = await get("/users/self");
    expect(self.status).toBe(200);
    expect(await self.json()).toHaveProperty("id");
    const tokens = await get("/organizations/o/deployments/d/agent-tokens");
    expect(tokens.status).toBe(200);
    expect(await tokens.json()).toHaveProperty("totalCount");
  });

  it("answers the audit-log download with bytes as application/octet-stream, as declared", async () => {
    // Prism cannot serialise the declared schema (an array of integers) as octets: the mock serves
    // such bodies as a string of bytes (src/mock/binary-responses.ts).
    for (const prefer of ["dynamic=false", "dynamic=true"]) {
      const logs = await get("/organizations/o/audit-logs", { Prefer: prefer });
      expect(logs.status, prefer).toBe(200);
      expect(logs.headers.get("content-type")).toMatch(/^application\/octet-stream/);
      expect((await logs.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
  });

  it("rejects a request without a token, as v1 declares", async () => {
    const response = await fetch(`${mock.urls.v1}/users/self`);
    expect(response.status).toBe(401);
  });

  it("refuses an unknown or repeated document name before starting anything", async () => {
    await expect(startAstroMock({ serve: ["v1", "v1"] })).rejects.toThrow(/serve must name each of/);
    await expect(startAstroMock({ serve: [] })).rejects.toThrow(/serve must name each of/);
  });
});

describe("servableDocument", () => {
  it("leaves a document Prism can serve as it is, byte for byte", async () => {
    for (const api of ["platform", "iam"] as const) {
      const text = await readFile(join(REVISIONS_DIR, specs[api].file), "utf8");
      expect(servableDocument(text)).toBe(text);
    }
    const v1 = await readFile(join(REVISIONS_DIR, specs.v1.file), "utf8");
    const served = JSON.parse(servableDocument(v1)) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>>;
    };
    expect(
      served.paths["/organizations/{organizationId}/audit-logs"]!.get!.responses["200"]!.content,
    ).toEqual({
      "application/octet-stream": { schema: { type: "string", format: "binary" } },
    });
    expect(served.paths["/users/self"]!.get!.responses["200"]!.content).toHaveProperty("application/json");
  });
});
