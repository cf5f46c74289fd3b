import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { specs } from "../../generated/operations.js";
import { createAstroClient, NotFoundError } from "../../src/index.js";
import { startAstroMock, type AstroMock } from "../../src/mock/index.js";
import { rejection } from "../helpers/client.js";
import { alive } from "../helpers/prism.js";

// The mock serves v1 by default, behind one base URL laid out like the live API.
describe("startAstroMock() serves v1", () => {
  let mock: AstroMock;
  beforeAll(async () => {
    mock = await startAstroMock({ seed: "mock-v1" });
  }, 90_000);
  afterAll(async () => {
    await mock?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${mock.url}/v1${path}`, { headers: { authorization: "Bearer any", ...headers } });

  it("serves only v1 by default, found and verified like the others", () => {
    expect(Object.keys(mock.urls)).toEqual(["v1"]);
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The package's copy once built (dist/openapi), else the pinned revision's file.
    expect(mock.documents.v1).toMatch(
      new RegExp(`(dist/openapi/v1\\.yaml|${specs.v1.file.replaceAll(".", "\\.")})$`),
    );
    expect(alive(mock.pids.v1)).toBe(true);
  });

  it("is one base URL for the v1 client: createAstroClient({ baseUrl: mock.url })", async () => {
    const astro = createAstroClient({ token: "any", baseUrl: mock.url, organizationId: "o", maxRetries: 0 });
    const { data } = await astro.getSelfUser();
    expect(data).toHaveProperty("id");
    const tokens = await astro.listAgentTokens({ deploymentId: "d" });
    expect(tokens.data).toHaveProperty("totalCount");
    const error = await rejection(
      astro.getDeployment({ deploymentId: "d" }, { headers: { Prefer: "code=404" } }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it("answers v1 operations over plain HTTP too, and 404 outside the prefixes it serves", async () => {
    expect((await get("/users/self")).status).toBe(200);
    const outside = await fetch(`${mock.url}/platform/v1beta1/organizations`);
    expect(outside.status).toBe(404);
    expect(await outside.text()).toContain("/v1/...");
  });

  it("rejects a request without a token, as v1 declares", async () => {
    const response = await fetch(`${mock.url}/v1/users/self`);
    expect(response.status).toBe(401);
  });

  it("refuses an unknown or repeated document name before starting anything", async () => {
    await expect(startAstroMock({ serve: ["v1", "v1"] })).rejects.toThrow(/serve must name each of/);
    await expect(startAstroMock({ serve: [] })).rejects.toThrow(/serve must name each of/);
  });
});
