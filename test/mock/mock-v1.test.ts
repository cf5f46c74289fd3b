import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servableDocument } from "../../src/mock/binary-responses.js";
import { createAstroClient, NotFoundError } from "../../src/index.js";
import { startAstroMock, type AstroMock } from "../../src/mock/index.js";
import { rejection } from "../helpers/client.js";
import { alive, commandLine, freePort } from "../helpers/prism.js";
import { pinnedFacts } from "../helpers/revisions.js";

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
    // The facts-only document: the package's copy once built (dist/openapi), else generated/'s.
    expect(mock.documents.v1).toMatch(/(dist\/openapi|generated)\/v1\.facts\.json$/);
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
    const response = await fetch(`${mock.url}/v1/users/self`);
    expect(response.status).toBe(401);
  });

  it("refuses an unknown or repeated document name before starting anything", async () => {
    await expect(startAstroMock({ serve: ["v1", "v1"] })).rejects.toThrow(/serve must name each of/);
    await expect(startAstroMock({ serve: [] })).rejects.toThrow(/serve must name each of/);
  });
});

describe("servableDocument", () => {
  it("leaves a document Prism can serve as it is, byte for byte", () => {
    for (const api of ["platform", "iam"] as const) {
      const text = pinnedFacts(api);
      expect(servableDocument(text)).toBe(text);
    }
    const v1 = pinnedFacts("v1");
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

describe("startAstroMock's option values", () => {
  it("gives Prism a seed that looks like an option as the seed, not as an option", async () => {
    const taken = await freePort();
    // As separate arguments, `--seed --port=<taken>` gave Prism two ports, and it exited.
    const mock = await startAstroMock({ seed: `--port=${taken}` });
    try {
      expect(commandLine(mock.pids.v1)).toContain(`--seed=--port=${taken}`);
      expect(new URL(mock.urls.v1).port).not.toBe(String(taken));
      expect(
        (await fetch(`${mock.url}/v1/users/self`, { headers: { authorization: "Bearer any" } })).status,
      ).toBe(200);
    } finally {
      await mock.close();
    }
  }, 90_000);
});
