/** #12: the caller gets the Response the server sent, not a rebuilt copy. */
import { describe, expect, it } from "vitest";
import { clientFor, json, useRecordingServer } from "../../helpers/client.js";

const ctx = useRecordingServer();

describe("the Response a call resolves with", () => {
  it("is the server's: its URL, status, status text and headers", async () => {
    ctx.server.handle((_, res) => {
      res.statusMessage = "Created Here";
      json(res, 201, { id: "t1" }, { "x-served-by": "edge-7", etag: '"v1"' });
    });
    const { data, response } = await clientFor(ctx.server, { throttle: false }).iam.POST(
      "/organizations/{organizationId}/teams",
      { params: { path: { organizationId: "o" } }, body: { name: "n" } },
    );
    expect(data).toEqual({ id: "t1" });
    expect(response.url).toBe(`${ctx.server.url}/organizations/o/teams`);
    expect(response).toMatchObject({ status: 201, statusText: "Created Here", redirected: false });
    expect(response.headers.get("x-served-by")).toBe("edge-7");
    expect(response.headers.get("etag")).toBe('"v1"');
    // The body was read once, by the SDK, to give `data`.
    expect(response.bodyUsed).toBe(true);
  });
});
