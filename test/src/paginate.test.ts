import { describe, expect, it } from "vitest";
import { AstroConfigError } from "../../src/v1beta1/index.js";
import { clientFor, json, rejection, useRecordingServer } from "../helpers/client.js";

const ctx = useRecordingServer();

/** A server holding `total` deployments, answering offset/limit honestly unless told otherwise. */
function serveDeployments(
  total: number,
  options: { claim?: number; cap?: number; repeat?: boolean } = {},
): void {
  ctx.server.handle((req, res) => {
    const url = new URL(req.url, "http://x");
    const offset = options.repeat ? 0 : Number(url.searchParams.get("offset") ?? 0);
    const limit = Math.min(Number(url.searchParams.get("limit") ?? 20), options.cap ?? Infinity);
    const end = Math.min(total, offset + limit);
    const deployments = Array.from({ length: Math.max(0, end - offset) }, (_, i) => ({
      id: `d${offset + i}`,
    }));
    json(res, 200, { deployments, offset, limit, totalCount: options.claim ?? total });
  });
}

const path = "/organizations/{organizationId}/deployments" as const;

describe("paginate", () => {
  it.each([
    [0, 10, 1],
    [1, 10, 1],
    [10, 10, 1],
    [11, 10, 2],
    [95, 10, 10],
  ])("%i items in pages of %i: exact items in %i requests", async (total, pageSize, requests) => {
    serveDeployments(total);
    const astro = clientFor(ctx.server, { organizationId: "org", throttle: false });
    const ids: string[] = [];
    for await (const deployment of astro.platform.paginate(path, { pageSize })) ids.push(deployment.id);
    expect(ids).toEqual(Array.from({ length: total }, (_, i) => `d${i}`));
    expect(ctx.server.received).toHaveLength(requests);
    expect(ctx.server.received[0]!.url).toBe(`/organizations/org/deployments?offset=0&limit=${pageSize}`);
  });

  it("asks for 1,000 items a page by default and keeps the caller's filters", async () => {
    serveDeployments(3);
    const astro = clientFor(ctx.server, { throttle: false });
    const all = await astro.platform
      .paginate(path, { params: { path: { organizationId: "o" }, query: { workspaceIds: ["w1", "w2"] } } })
      .collect();
    expect(all).toHaveLength(3);
    expect(ctx.server.received[0]!.url).toBe(
      "/organizations/o/deployments?workspaceIds=w1&workspaceIds=w2&offset=0&limit=1000",
    );
  });

  it("advances by what the server sent when it caps the page size", async () => {
    serveDeployments(25, { cap: 10 });
    const all = await clientFor(ctx.server, { organizationId: "o", throttle: false })
      .platform.paginate(path, { pageSize: 100 })
      .collect();
    expect(all.map((d) => d.id)).toEqual(Array.from({ length: 25 }, (_, i) => `d${i}`));
    expect(ctx.server.received.map((r) => new URL(r.url, "http://x").searchParams.get("offset"))).toEqual([
      "0",
      "10",
      "20",
    ]);
  });

  it("stops on an empty page when the server claims more than it has", async () => {
    serveDeployments(15, { claim: 1_000_000 });
    const all = await clientFor(ctx.server, { organizationId: "o", throttle: false })
      .platform.paginate(path, { pageSize: 10 })
      .collect();
    expect(all).toHaveLength(15);
    expect(ctx.server.received).toHaveLength(3);
  });

  it("stops at totalCount when the server claims less than it has", async () => {
    serveDeployments(50, { claim: 20 });
    const all = await clientFor(ctx.server, { organizationId: "o", throttle: false })
      .platform.paginate(path, { pageSize: 10 })
      .collect();
    expect(all).toHaveLength(20);
  });

  it("stops when the server repeats a page instead of looping forever", async () => {
    serveDeployments(100, { repeat: true });
    const all = await clientFor(ctx.server, { organizationId: "o", throttle: false })
      .platform.paginate(path, { pageSize: 10 })
      .collect();
    expect(all).toHaveLength(10);
    expect(ctx.server.received).toHaveLength(2);
  });

  it("collect({ max }) stops fetching once it has enough", async () => {
    serveDeployments(1000);
    const some = await clientFor(ctx.server, { organizationId: "o", throttle: false })
      .platform.paginate(path, { pageSize: 10 })
      .collect({ max: 25 });
    expect(some.map((d) => d.id)).toEqual(Array.from({ length: 25 }, (_, i) => `d${i}`));
    expect(ctx.server.received).toHaveLength(3);
  });

  it("pages() gives page-level access", async () => {
    serveDeployments(25);
    const pages = [];
    for await (const page of clientFor(ctx.server, { organizationId: "o", throttle: false })
      .platform.paginate(path, { pageSize: 10 })
      .pages()) {
      pages.push({
        offset: page.offset,
        n: page.items.length,
        total: page.totalCount,
        status: page.response.status,
      });
    }
    expect(pages).toEqual([
      { offset: 0, n: 10, total: 25, status: 200 },
      { offset: 10, n: 10, total: 25, status: 200 },
      { offset: 20, n: 5, total: 25, status: 200 },
    ]);
  });

  it("honours an AbortSignal mid-iteration", async () => {
    serveDeployments(100);
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await rejection(
      (async () => {
        const astro = clientFor(ctx.server, { organizationId: "o", throttle: false });
        for await (const d of astro.platform.paginate(path, { pageSize: 10, signal: controller.signal })) {
          seen.push(d.id);
          if (seen.length === 15) controller.abort(new Error("enough"));
        }
      })(),
    );
    expect(error.message).toBe("enough");
    expect(seen).toHaveLength(20);
    expect(ctx.server.received).toHaveLength(2);
  });

  it("paginates IAM lists through the same pipeline (ListRoles pages `roles`)", async () => {
    ctx.server.handle((_, res) =>
      json(res, 200, {
        roles: [{ id: "r1" }],
        defaultRoles: [{ name: "x" }],
        offset: 0,
        limit: 1000,
        totalCount: 1,
      }),
    );
    const roles = await clientFor(ctx.server, { organizationId: "o" })
      .iam.paginate("/organizations/{organizationId}/roles")
      .collect();
    expect(roles).toEqual([{ id: "r1" }]);
  });

  it("rejects a path that is not paginated and a bad page size", () => {
    const astro = clientFor(ctx.server, { organizationId: "o" });
    expect(() =>
      astro.platform.paginate("/organizations/{organizationId}/clusters/{clusterId}" as never),
    ).toThrow(AstroConfigError);
    expect(() => astro.platform.paginate(path, { pageSize: 0 })).toThrow(
      /pageSize must be a whole number ≥ 1, got 0/,
    );
  });
});
