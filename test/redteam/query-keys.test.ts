/**
 * Query keys are encoded like values (#26, "also seen"): a key passed through `GET` (untyped
 * callers, names built from input) cannot add parameters of its own, nor cut the query.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { useRecordingServer, v1ClientFor } from "../helpers/client.js";
import { runs } from "../helpers/depth.js";

const ctx = useRecordingServer();

describe("a query key", () => {
  it("is encoded: `limit=1&admin` stays one parameter", async () => {
    const astro = v1ClientFor(ctx.server, "query-keys-token");
    await astro.GET("/organizations/{organizationId}/deployments", {
      params: { path: { organizationId: "o" }, query: { "limit=1&admin": "true", plain: "x y" } as never },
    });
    const url = new URL(ctx.server.received[0]!.url, ctx.server.url);
    expect([...url.searchParams]).toEqual([
      ["limit=1&admin", "true"],
      ["plain", "x y"],
    ]);
  });

  it("of any text round-trips as exactly one parameter, value included", async () => {
    const astro = v1ClientFor(ctx.server, "query-keys-token");
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        async (key, value) => {
          ctx.server.received.length = 0;
          await astro.GET("/organizations/{organizationId}/deployments", {
            params: { path: { organizationId: "o" }, query: { [key]: value } },
          });
          const url = new URL(ctx.server.received[0]!.url, ctx.server.url);
          expect(url.pathname).toBe("/v1/organizations/o/deployments");
          expect([...url.searchParams]).toEqual([
            [key.replace(/[\uD800-\uDFFF]/g, "\uFFFD"), value.replace(/[\uD800-\uDFFF]/g, "\uFFFD")],
          ]);
        },
      ),
      { numRuns: runs(60) },
    );
  });
});
