import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { AstroConfigError, createAstroClient, specs, VERSION } from "../../src/v1beta1/index.js";
import { clientFor, fileToken, json, rejection, useRecordingServer } from "../helpers/client.js";

const ctx = useRecordingServer();

describe("auth and identification", () => {
  it("sends the bearer token and identifies the client on every request", async () => {
    const astro = clientFor(ctx.server, { userAgent: "my-pipeline/1.2" });
    await astro.platform.GET("/organizations");
    await astro.iam.GET("/organizations/{organizationId}/teams", {
      params: { path: { organizationId: "o" } },
    });
    expect(ctx.server.received).toHaveLength(2);
    for (const request of ctx.server.received) {
      expect(request.headers.authorization).toBe(`Bearer ${fileToken()}`);
      expect(request.headers["user-agent"]).toBe(`my-pipeline/1.2 astro-api-client/${VERSION}`);
      // Nothing else of the SDK's own (the User-Agent names it and its version).
      expect(Object.keys(request.headers).filter((name) => name.startsWith("x-"))).toEqual([]);
    }
    expect(ctx.server.received.map((r) => r.url)).toEqual(["/organizations", "/organizations/o/teams"]);
  });

  it("calls a token function before every attempt, so tokens can rotate", async () => {
    let n = 0;
    const astro = clientFor(ctx.server, { token: async () => `token-${++n}` });
    ctx.server.handle((_, res) => json(res, ctx.server.received.length === 1 ? 503 : 200, {}));
    await astro.platform.GET("/organizations");
    expect(ctx.server.received.map((r) => r.headers.authorization)).toEqual([
      "Bearer token-1",
      "Bearer token-2",
    ]);
  });

  it("falls back to ASTRO_API_TOKEN", async () => {
    vi.stubEnv("ASTRO_API_TOKEN", "from-env");
    const astro = createAstroClient({ urls: { platform: ctx.server.url, iam: ctx.server.url } });
    await astro.platform.GET("/organizations");
    expect(ctx.server.received[0]!.headers.authorization).toBe("Bearer from-env");
  });

  it("sends JSON bodies and query arrays as the spec serialises them", async () => {
    const astro = clientFor(ctx.server);
    ctx.server.handle((_, res) => json(res, 200, { id: "t" }));
    await astro.iam.POST("/organizations/{organizationId}/teams", {
      params: { path: { organizationId: "o" } },
      body: { name: "platform" },
    });
    await astro.platform.GET("/organizations/{organizationId}/deployments", {
      params: { path: { organizationId: "o" }, query: { workspaceIds: ["a", "b"], limit: 5 } },
    });
    expect(ctx.server.received[0]).toMatchObject({ method: "POST", body: '{"name":"platform"}' });
    expect(ctx.server.received[0]!.headers["content-type"]).toBe("application/json");
    expect(ctx.server.received[1]!.url).toBe(
      "/organizations/o/deployments?workspaceIds=a&workspaceIds=b&limit=5",
    );
  });
});

describe("options", () => {
  it("fails at construction without a token, naming ASTRO_API_TOKEN", () => {
    vi.stubEnv("ASTRO_API_TOKEN", undefined);
    expect(() => createAstroClient()).toThrow(AstroConfigError);
    expect(() => createAstroClient()).toThrow(/no API token: .*ASTRO_API_TOKEN/);
  });

  it.each([
    ["", /options\.token is empty/],
    ["abc def", /options\.token contains whitespace, control or non-ASCII characters/],
    ["abc\r\nX-Injected: 1", /contains whitespace, control/],
    ["tök", /non-ASCII/],
  ])("rejects the token %j", (token, message) => {
    expect(() => createAstroClient({ token })).toThrow(message);
  });

  it("rejects a bad token returned by a token function at call time", async () => {
    const astro = clientFor(ctx.server, { token: () => " padded " });
    const error = await rejection(astro.platform.GET("/organizations"));
    expect(error).toBeInstanceOf(AstroConfigError);
    expect(error.message).toMatch(/the token returned by options\.token\(\) contains whitespace/);
    expect(ctx.server.received).toHaveLength(0);
  });

  it("rejects unusable URLs, limits, retries and timeouts with specific messages", () => {
    expect(() => createAstroClient({ token: "t", baseUrl: "not a url" })).toThrow(
      /baseUrl is not a valid URL: "not a url"/,
    );
    expect(() => createAstroClient({ token: "t", urls: { iam: "ftp://x" } })).toThrow(
      /urls\.iam must be an http\(s\) URL/,
    );
    expect(() => createAstroClient({ token: "t", baseUrl: "https://u:p@h" })).toThrow(
      /must not carry credentials/,
    );
    expect(() => createAstroClient({ token: "t", throttle: { limits: { get: -1 } } })).toThrow(
      /throttle\.limits\.get must be a whole number of requests per second ≥ 1, got -1/,
    );
    expect(() => createAstroClient({ token: "t", throttle: { marginMs: -5 } })).toThrow(/throttle\.marginMs/);
    expect(() => createAstroClient({ token: "t", maxRetries: -1 })).toThrow(
      /maxRetries must be a whole number ≥ 0/,
    );
    expect(() => createAstroClient({ token: "t", timeoutMs: 0 })).toThrow(
      /timeoutMs must be a number of milliseconds > 0/,
    );
    expect(() => createAstroClient({ token: "t", userAgent: "bad\nagent" })).toThrow(/userAgent/);
  });

  it("derives each API's URL from baseUrl, urls, or the spec's server", async () => {
    const astro = createAstroClient({ token: "t", baseUrl: `${ctx.server.url}/`, throttle: false });
    await astro.platform.GET("/organizations");
    await astro.iam.GET("/authorization/permission-groups");
    expect(ctx.server.received.map((r) => r.url)).toEqual([
      "/platform/v1beta1/organizations",
      "/iam/v1beta1/authorization/permission-groups",
    ]);
    expect(specs.platform.server).toBe("https://api.astronomer.io/platform/v1beta1");
  });

  it("rejects per-call fetch, which would bypass auth and throttling", async () => {
    const astro = clientFor(ctx.server);
    const error = await rejection(astro.platform.GET("/organizations", { fetch: globalThis.fetch }));
    expect(error.message).toMatch(/per-call fetch and middleware are not supported/);
  });

  it("keeps VERSION equal to package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });
});
