/**
 * #14 class 11: redirects keep their body, and the token never reaches another origin. Two local
 * servers: the API, and another origin it may point at.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AstroApiError, type AstroClient } from "../../../src/v1beta1/index.js";
import { clientFor, json, rejection, useRecordingServer } from "../../helpers/client.js";
import { startRecordingServer, type RecordingServer } from "../../helpers/recording-server.js";

const TOKEN = "redirect-SECRET-0b7d3e";
const api = useRecordingServer();
let other: RecordingServer;
beforeAll(async () => {
  other = await startRecordingServer((_, res) => json(res, 200, { id: "from-elsewhere" }));
});
afterAll(() => other.close());

const createTeam = (astro: AstroClient) =>
  astro.iam.POST("/organizations/{organizationId}/teams", {
    params: { path: { organizationId: "o" } },
    body: { name: "platform", memberIds: ["u1"] },
  });

/** The API answers its first request with a redirect, the next ones with `{ id: "t" }`. */
function redirectOnce(status: number, location: () => string): void {
  api.server.handle((_, res) => {
    if (api.server.received.length === 1) {
      res.writeHead(status, { location: location() });
      res.end();
    } else json(res, 200, { id: "t" });
  });
}

describe("redirects", () => {
  it.each([307, 308])(
    "a %i to the same origin is followed with the same method, body and token",
    async (status) => {
      redirectOnce(status, () => "/moved/teams");
      const { data, response } = await createTeam(clientFor(api.server, { token: TOKEN, throttle: false }));
      expect(data).toEqual({ id: "t" });
      const [first, second] = api.server.received;
      expect(second).toMatchObject({ method: "POST", url: "/moved/teams", body: first!.body });
      expect(second!.body).toBe('{"name":"platform","memberIds":["u1"]}');
      expect(second!.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(response.url).toBe(`${api.server.url}/moved/teams`);
    },
  );

  it.each([301, 302, 303, 307, 308])(
    "a %i to another origin is not followed: the token never gets there",
    async (status) => {
      redirectOnce(status, () => `${other.url}/steal`);
      const error = await rejection(createTeam(clientFor(api.server, { token: TOKEN, throttle: false })));
      expect(error).toBeInstanceOf(AstroApiError);
      expect(error).toMatchObject({ status });
      expect(error.message).toMatch(/not followed/);
      expect(other.received).toHaveLength(0);
      expect(api.server.received).toHaveLength(1);
    },
  );

  it("a GET redirected to another origin is not followed either", async () => {
    redirectOnce(302, () => `${other.url}/organizations`);
    const error = await rejection(
      clientFor(api.server, { token: TOKEN, throttle: false }).platform.GET("/organizations"),
    );
    expect(error).toMatchObject({ status: 302 });
    expect(other.received).toHaveLength(0);
  });

  it("a 302 of a POST is not turned into a GET", async () => {
    redirectOnce(302, () => "/elsewhere");
    const error = await rejection(createTeam(clientFor(api.server, { token: TOKEN, throttle: false })));
    expect(error).toMatchObject({ status: 302 });
    expect(api.server.received.map((r) => r.method)).toEqual(["POST"]);
  });

  it("a GET redirected within the origin is followed", async () => {
    api.server.handle((_, res) => {
      if (api.server.received.length === 1) {
        res.writeHead(301, { location: "/v2/organizations" });
        res.end();
      } else json(res, 200, { organizations: [], totalCount: 0, offset: 0, limit: 20 });
    });
    const { response } = await clientFor(api.server, { token: TOKEN, throttle: false }).platform.GET(
      "/organizations",
    );
    expect(response.status).toBe(200);
    expect(api.server.received.map((r) => r.url)).toEqual(["/organizations", "/v2/organizations"]);
  });

  it("a redirect loop ends", async () => {
    api.server.handle((_, res) => {
      res.writeHead(307, { location: "/again" });
      res.end();
    });
    const error = await rejection(createTeam(clientFor(api.server, { token: TOKEN, throttle: false })));
    expect(error).toMatchObject({ status: 307 });
    expect(api.server.received.length).toBeLessThanOrEqual(6);
  });
});
