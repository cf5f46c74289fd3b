/**
 * #14 class 12: pagination terminates against any server (alternating pages, an ignored offset,
 * growing pages, totalCount lying either way), a page without its items array is
 * InvalidResponseError, and bad offset/pageSize values are rejected.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroConfigError, InvalidResponseError } from "../../../src/v1beta1/index.js";
import { clientFor, json, rejection, useRecordingServer } from "../../helpers/client.js";
import { runs } from "../../helpers/depth.js";

const ctx = useRecordingServer();
const path = "/organizations/{organizationId}/deployments" as const;
const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `d${from + i}` }));
const paginator = (pageSize = 10) =>
  clientFor(ctx.server, { organizationId: "o", throttle: false }).platform.paginate(path, { pageSize });

function query(url: string): { offset: number; limit: number } {
  const params = new URL(url, "http://x").searchParams;
  return { offset: Number(params.get("offset")), limit: Number(params.get("limit")) };
}

describe("pagination ends", () => {
  it("when the server alternates between two pages and claims a huge total", async () => {
    ctx.server.handle((_, res) =>
      json(res, 200, { deployments: ids(ctx.server.received.length % 2 ? 0 : 100, 10), totalCount: 1e9 }),
    );
    const all = await paginator().collect();
    expect(all.map((d) => d.id)).toEqual([...ids(0, 10), ...ids(100, 10)].map((d) => d.id));
    expect(ctx.server.received).toHaveLength(3);
  });

  it("when the server serves pages in a longer cycle", async () => {
    ctx.server.handle((_, res) =>
      json(res, 200, { deployments: ids((ctx.server.received.length % 7) * 10, 10), totalCount: 1e9 }),
    );
    const all = await paginator().collect();
    expect(all).toHaveLength(70);
    expect(ctx.server.received).toHaveLength(8);
  });

  it("when pages grow and the claimed total grows with them: the first claim bounds the walk", async () => {
    ctx.server.handle((req, res) => {
      const { offset, limit } = query(req.url);
      const n = ctx.server.received.length;
      json(res, 200, { deployments: ids(offset, limit * n), totalCount: offset + limit * n + limit });
    });
    const all = await paginator().collect();
    // Page 1: 10 items, "20 in all"; page 2: 20 more, "40 in all". The walk ends at the first claim.
    expect(all).toHaveLength(30);
    expect(ctx.server.received).toHaveLength(2);
  });

  it("against any scripted server: requests ≤ the smallest total claimed + 1", async () => {
    const pages = fc.array(
      fc.record({
        items: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 12 }),
        totalCount: fc.integer({ min: 0, max: 60 }),
      }),
      { minLength: 1, maxLength: 80 },
    );
    await fc.assert(
      fc.asyncProperty(pages, async (script) => {
        ctx.server.received.length = 0;
        ctx.server.handle((_, res) => {
          const page = script[(ctx.server.received.length - 1) % script.length]!;
          json(res, 200, {
            deployments: page.items.map((i) => ({ id: `d${i}` })),
            totalCount: page.totalCount,
          });
        });
        const seen = await paginator(5).collect();
        const firstClaim = script[0]!.totalCount;
        expect(ctx.server.received.length).toBeLessThanOrEqual(firstClaim + 1);
        expect(seen.length).toBeLessThanOrEqual(firstClaim + 12);
      }),
      { numRuns: runs(60) },
    );
  });

  it("when offset is ignored (the same first page every time)", async () => {
    ctx.server.handle((_, res) => json(res, 200, { deployments: ids(0, 10), totalCount: 50 }));
    expect(await paginator().collect()).toHaveLength(10);
    expect(ctx.server.received).toHaveLength(2);
  });
});

describe("pages that are not pages", () => {
  it.each([
    ["no items key", { totalCount: 3 }],
    ["items key null", { deployments: null, totalCount: 3 }],
    ["items key an object", { deployments: { 0: { id: "a" } }, totalCount: 3 }],
    ["items key a string", { deployments: "d1,d2", totalCount: 3 }],
    ["an array instead of a page", [{ id: "a" }]],
    ["no totalCount", { deployments: ids(0, 3) }],
    ["a totalCount that is not a count", { deployments: ids(0, 3), totalCount: "lots" }],
    ["a negative totalCount", { deployments: ids(0, 3), totalCount: -1 }],
  ])("%s is InvalidResponseError", async (_, body) => {
    ctx.server.handle((_, res) => json(res, 200, body));
    const error = await rejection(paginator().collect());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/ListDeployments is a paginated list, but the server sent a page/);
  });

  it("items nested deeper than JSON.stringify can go (to tell pages apart) are InvalidResponseError", async () => {
    // JSON.parse reads any depth; JSON.stringify recurses, and throws RangeError past its stack.
    const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
    ctx.server.handle((_, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`{"deployments":[{"id":"d0"},${deep}],"totalCount":2}`);
    });
    for (const walk of [() => paginator().collect(), () => paginator().pages().next()]) {
      const error = await rejection(walk());
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error.message).toMatch(/ListDeployments is a paginated list, but the server sent a page/);
    }
    // Within the depth, pages are read as they are.
    ctx.server.handle((_, res) =>
      json(res, 200, { deployments: [{ id: "d0", tags: [[["a"]]] }], totalCount: 1 }),
    );
    expect(await paginator().collect()).toEqual([{ id: "d0", tags: [[["a"]]] }]);
  });
});

describe("bad paging values", () => {
  it("a signal that is not an AbortSignal is AstroConfigError when paginate is called, and nothing is sent", () => {
    const astro = clientFor(ctx.server, { organizationId: "o" });
    const notSignals = fc.oneof(
      fc.anything().filter((value) => value !== undefined),
      fc.constant({ aborted: true, reason: "looks like one", throwIfAborted: undefined }),
    );
    fc.assert(
      fc.property(notSignals, (signal) => {
        const paginate = () => astro.platform.paginate(path, { signal: signal as AbortSignal });
        expect(paginate).toThrow(AstroConfigError);
        expect(paginate).toThrow(/signal must be an AbortSignal/);
      }),
      { numRuns: runs(100) },
    );
    expect(ctx.server.received).toHaveLength(0);
  });

  it("pageSize and offset must be whole numbers in range", () => {
    const astro = clientFor(ctx.server, { organizationId: "o" });
    const bad = fc.oneof(
      fc.constantFrom(0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, "10", null),
      fc.double({ noInteger: true }),
    );
    fc.assert(
      fc.property(bad, (value) => {
        expect(() => astro.platform.paginate(path, { pageSize: value as number })).toThrow(AstroConfigError);
        if (value === 0) return; // offset 0 is the default
        expect(() =>
          astro.platform.paginate(path, { params: { query: { offset: value as number } } }),
        ).toThrow(/offset must be a whole number ≥ 0/);
      }),
    );
    expect(ctx.server.received).toHaveLength(0);
  });
});
