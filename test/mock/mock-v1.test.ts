import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { specs } from "../../generated/operations.js";
import { startAstroMock, type AstroMock } from "../../src/mock/index.js";
import { alive } from "../helpers/prism.js";

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
    expect(mock.documents.v1).toMatch(new RegExp(`${specs.v1.file.replaceAll(".", "\\.")}$`));
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

  it("rejects a request without a token, as v1 declares", async () => {
    const response = await fetch(`${mock.urls.v1}/users/self`);
    expect(response.status).toBe(401);
  });

  it("refuses an unknown or repeated document name before starting anything", async () => {
    await expect(startAstroMock({ serve: ["v1", "v1"] })).rejects.toThrow(/serve must name each of/);
    await expect(startAstroMock({ serve: [] })).rejects.toThrow(/serve must name each of/);
  });
});
