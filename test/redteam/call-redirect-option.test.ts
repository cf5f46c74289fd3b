/**
 * A per-call `redirect` option (`{ redirect: "follow" }`, as a caller used to plain `fetch` might
 * pass): openapi-fetch would hand it to the request, and `fetch` would then follow the server's
 * redirects itself — to another origin, and in a loop of up to 20 hops a call, none of them through
 * the throttle. The client follows redirects itself (same origin, at most 5, each hop budgeted), so
 * the option is refused before anything is sent.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AstroConfigError } from "../../src/index.js";
import { json, v1ClientFor } from "../helpers/client.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recording-server.js";
import { outcome } from "./outcome.js";

const TOKEN = "call-redirect-SECRET-5c1e9a";
let api: RecordingServer;
let other: RecordingServer;
beforeAll(async () => {
  other = await startRecordingServer((_, res) => json(res, 200, { deployments: [], totalCount: 0 }));
  api = await startRecordingServer();
});
afterAll(async () => {
  await api.close();
  await other.close();
});

describe("a per-call redirect option", () => {
  it("is refused, whatever its value: nothing reaches either host, and the API's redirects stay the client's", async () => {
    // Every answer of the API a redirect to another origin (`localhost` is not `127.0.0.1`).
    api.handle((_, res) => {
      res.writeHead(302, { location: `http://localhost:${new URL(other.url).port}/steal` });
      res.end();
    });
    const astro = v1ClientFor(api, TOKEN);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("follow", "error", "manual"), async (redirect) => {
        const sent = api.received.length;
        const error = await outcome(() => astro.listDeployments({}, { redirect } as never));
        expect(error).toBeInstanceOf(AstroConfigError);
        expect((error as Error).message).toMatch(/redirect/);
        expect(api.received).toHaveLength(sent);
        expect(other.received).toHaveLength(0);
      }),
      { numRuns: 6 },
    );
    // Through the path-based method too, and paginate.
    for (const run of [
      () => astro.GET("/organizations/{organizationId}/deployments", { redirect: "follow" } as never),
      () =>
        astro
          .paginate("/organizations/{organizationId}/deployments", { redirect: "follow" } as never)
          .collect(),
    ]) {
      expect(await outcome(run)).toBeInstanceOf(AstroConfigError);
    }
    expect(api.received).toHaveLength(0);
    expect(other.received).toHaveLength(0);
  });
});
