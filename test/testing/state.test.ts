/**
 * State by path shape: create → read → update → delete, 404s with the API's error body, lists
 * paged over what exists with the common filters, and a model-based property: any sequence of
 * creates, reads, deletes and list pages agrees with a plain Map.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAstroFake, type AstroFake } from "../../src/testing/index.js";
import { call, org } from "./fake-client.js";
import { responseProblems } from "./v1-document.js";
import { runs } from "../helpers/depth.js";

/** The parts of the fake's answers these tests read. */
interface Resource {
  id: string;
  name?: string;
  organizationId?: string;
}
interface ApiError {
  message: string;
  requestId: string;
  fieldErrors: { code: string; field: string; message: string }[];
}
interface Page {
  totalCount: number;
  teams: { name: string }[];
  workspaces: { id: string; name: string }[];
  deployments: { id: string }[];
}

describe("resources by path shape", () => {
  let fake: AstroFake;
  beforeAll(async () => {
    fake = await startAstroFake({ rateLimits: false });
  });
  afterAll(() => fake.close());

  it("creates with a new id and the request's fields, reads it back, updates and deletes it", async () => {
    const created = await call(fake, "POST", `${org(fake)}/workspaces`, {
      body: { name: "etl", cicdEnforcedDefault: false, defaultRegion: "eu-west-1" },
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      name: "etl",
      cicdEnforcedDefault: false,
      defaultRegion: "eu-west-1",
    });
    const workspace = created.json as Resource;
    expect(workspace.organizationId).toBe(fake.organizationId);
    const other = await call(fake, "POST", `${org(fake)}/workspaces`, { body: { name: "ml" } });
    expect((other.json as Resource).id).not.toBe(workspace.id);

    const item = `${org(fake)}/workspaces/${workspace.id}`;
    expect((await call(fake, "GET", item)).json).toEqual(created.json);
    const updated = await call(fake, "POST", item, {
      body: { name: "etl-2", cicdEnforcedDefault: true, description: "renamed" },
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ id: workspace.id, name: "etl-2", description: "renamed" });
    expect(((await call(fake, "GET", item)).json as Resource).name).toBe("etl-2");
    expect(fake.state.get(item)?.name).toBe("etl-2");

    expect((await call(fake, "DELETE", item)).status).toBe(204);
    for (const method of ["GET", "DELETE"]) {
      const gone = await call(fake, method, item);
      expect(gone.status).toBe(404);
      expect(responseProblems(method === "GET" ? "GetWorkspace" : "DeleteWorkspace", 404, gone.json)).toEqual(
        [],
      );
      const error = gone.json as ApiError;
      expect(error.requestId).toMatch(/\S/);
      expect(gone.headers.get("x-request-id")).toBe(error.requestId);
    }
  });

  it("answers 404 for unknown ids and for resources under an unknown parent", async () => {
    expect((await call(fake, "GET", `${org(fake)}/deployments/nope`)).status).toBe(404);
    expect((await call(fake, "GET", `/organizations/other-org/workspaces`)).status).toBe(404);
    const deploys = await call(fake, "POST", `${org(fake)}/deployments/nope/deploys`, {
      body: { type: "DAG_ONLY" },
    });
    expect(deploys.status).toBe(404);
    expect((deploys.json as ApiError).message).toContain("nope");
  });

  it("answers 400 with fieldErrors for a body or query the document rejects", async () => {
    const bad = await call(fake, "POST", `${org(fake)}/workspaces`, { body: { name: 5 } });
    expect(bad.status).toBe(400);
    expect(responseProblems("CreateWorkspace", 400, bad.json)).toEqual([]);
    expect((bad.json as ApiError).fieldErrors).toEqual([
      { code: "type", field: "name", message: "must be string" },
    ]);
    const missing = await call(fake, "POST", `${org(fake)}/deployments`, { body: { type: "STANDARD" } });
    expect((missing.json as ApiError).fieldErrors.map((e) => e.field)).toEqual(
      expect.arrayContaining(["name", "workspaceId"]),
    );
    const query = await call(fake, "GET", `${org(fake)}/workspaces`, { query: { limit: -1 } });
    expect(query.status).toBe(400);
    expect((query.json as ApiError).fieldErrors[0]?.field).toBe("limit");
    const notJson = await fetch(`${fake.url}/v1${org(fake)}/workspaces`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.token}`, "content-type": "application/json" },
      body: "{",
    });
    expect(notJson.status).toBe(400);
  });

  it("pages lists with offset, limit and totalCount, and honours name, id and parent filters", async () => {
    const collection = `${org(fake)}/teams`;
    const names = ["delta", "alpha", "charlie", "bravo", "echo"];
    const ids: string[] = [];
    for (const name of names)
      ids.push(((await call(fake, "POST", collection, { body: { name } })).json as Resource).id);
    const page = await call(fake, "GET", collection, { query: { offset: 1, limit: 2 } });
    expect(responseProblems("ListTeams", 200, page.json)).toEqual([]);
    expect(page.json).toMatchObject({ offset: 1, limit: 2, totalCount: 5 });
    expect((page.json as Page).teams.map((t) => t.name)).toEqual(["alpha", "charlie"]);
    const sorted = await call(fake, "GET", collection, { query: { sorts: "name:desc", limit: 10 } });
    expect((sorted.json as Page).teams.map((t) => t.name)).toEqual([...names].sort().reverse());
    const named = await call(fake, "GET", collection, { query: { names: ["echo", "alpha"] } });
    expect((named.json as Page).totalCount).toBe(2);
    const past = await call(fake, "GET", collection, { query: { offset: 10 } });
    expect(past.json).toMatchObject({ teams: [], totalCount: 5 });

    const ws = (
      (await call(fake, "POST", `${org(fake)}/workspaces`, { body: { name: "w" } })).json as Resource
    ).id;
    const d = fake.state.seed(`${org(fake)}/deployments`, { name: "d", workspaceId: ws });
    fake.state.seed(`${org(fake)}/deployments`, { name: "elsewhere", workspaceId: "other" });
    const byWorkspace = await call(fake, "GET", `${org(fake)}/deployments`, { query: { workspaceIds: ws } });
    expect((byWorkspace.json as Page).deployments.map((x) => x.id)).toEqual([d.id]);
    const byId = await call(fake, "GET", `${org(fake)}/deployments`, {
      query: { deploymentIds: [String(d.id)] },
    });
    expect((byId.json as Page).totalCount).toBe(1);
  });

  it("pages and filters the same with validation off, and then lets a bad body through", async () => {
    const loose = await startAstroFake({ validate: false });
    try {
      const base = `${org(loose)}/teams`;
      for (const name of ["a", "b", "c"]) await call(loose, "POST", base, { body: { name } });
      const page = await call(loose, "GET", base, { query: { offset: "1", limit: "1", names: "b" } });
      expect(page.json).toMatchObject({ offset: 1, limit: 1, totalCount: 1, teams: [] });
      expect(((await call(loose, "GET", base, { query: { names: "b" } })).json as Page).teams[0]?.name).toBe(
        "b",
      );
      expect((await call(loose, "POST", base, { body: { name: 5 } })).status).toBe(200);
    } finally {
      await loose.close();
    }
  });

  it("logs each request with its operation, status, requestId and X-API-Version, never the token", async () => {
    const url = `${fake.url}/v1${org(fake)}/workspaces?limit=1`;
    const answer = await fetch(url, {
      headers: { authorization: `Bearer ${fake.token}`, "x-api-version": "1.0" },
    });
    const log = fake.requests.at(-1)!;
    expect(log).toEqual({
      method: "GET",
      path: `/v1${org(fake)}/workspaces`,
      operationId: "ListWorkspaces",
      status: 200,
      requestId: answer.headers.get("x-request-id"),
      apiVersion: "1.0",
    });
    expect(JSON.stringify(fake.requests)).not.toContain(fake.token);
  });

  it("reset() forgets everything but the organization and its user", async () => {
    const shared = await startAstroFake({ faults: { operations: { GetTeam: { errorRate: 1 } } } });
    try {
      const users = `${org(shared)}/users`;
      const [user] = shared.state.list(users);
      await call(shared, "POST", `${org(shared)}/workspaces`, { body: { name: "w" } });
      shared.faults.once({ kind: "error" });
      shared.clock.advance(10_000);
      shared.reset();
      expect(Object.keys(shared.state.dump())).toEqual(["/organizations", users]);
      expect(shared.state.list(users)).toEqual([
        { ...user, createdAt: expect.any(String) as unknown, updatedAt: expect.any(String) as unknown },
      ]);
      expect(shared.requests).toEqual([]);
      expect(Math.abs(shared.clock.now() - Date.now())).toBeLessThan(1000);
      // The one-shot fault is gone; the rules given at start are back.
      expect(((await call(shared, "GET", `${org(shared)}/workspaces`)).json as Page).totalCount).toBe(0);
      expect((await call(shared, "GET", `${org(shared)}/teams/t`)).status).toBe(503);
    } finally {
      await shared.close();
    }
  });

  it("removes what is under a deleted resource", async () => {
    const d = fake.state.seed(`${org(fake)}/deployments`, { name: "parent" });
    const deploys = `${org(fake)}/deployments/${String(d.id)}/deploys`;
    expect((await call(fake, "POST", deploys, { body: { type: "DAG_ONLY" } })).status).toBe(200);
    expect(fake.state.list(deploys)).toHaveLength(1);
    expect((await call(fake, "DELETE", `${org(fake)}/deployments/${String(d.id)}`)).status).toBe(204);
    expect(fake.state.list(deploys)).toEqual([]);
  });
});

type Command =
  | { kind: "create"; name: string }
  | { kind: "get"; pick: number }
  | { kind: "delete"; pick: number }
  | { kind: "list"; offset: number; limit: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant("create" as const), name: fc.string({ minLength: 1, maxLength: 50 }) }),
  fc.record({ kind: fc.constant("get" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("list" as const), offset: fc.nat(8), limit: fc.integer({ min: 0, max: 6 }) }),
);

describe("model-based: any sequence agrees with a Map", () => {
  it("creates, reads, deletes (twice) and pages like a Map of what exists", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 25 }), async (commands) => {
        const fake = await startAstroFake({ rateLimits: false });
        try {
          const model = new Map<string, string>();
          // Ids ever seen, deleted ones included: a pick may name a resource that is gone.
          const seen: string[] = [];
          const base = `${org(fake)}/workspaces`;
          for (const c of commands) {
            if (c.kind === "create") {
              const answer = await call(fake, "POST", base, { body: { name: c.name } });
              expect(answer.status).toBe(200);
              const { id } = answer.json as Resource;
              expect(model.has(id)).toBe(false);
              model.set(id, c.name);
              seen.push(id);
            } else if (c.kind === "list") {
              const answer = await call(fake, "GET", base, { query: { offset: c.offset, limit: c.limit } });
              const expected = [...model.entries()].slice(c.offset, c.offset + c.limit);
              const listed = answer.json as Page;
              expect(listed.totalCount).toBe(model.size);
              expect(listed.workspaces.map((w) => [w.id, w.name])).toEqual(expected);
            } else if (seen.length) {
              const id = seen[c.pick % seen.length]!;
              const answer = await call(fake, c.kind === "get" ? "GET" : "DELETE", `${base}/${id}`);
              if (!model.has(id)) expect(answer.status).toBe(404);
              else if (c.kind === "get") expect((answer.json as Resource).name).toBe(model.get(id));
              else {
                expect(answer.status).toBe(204);
                model.delete(id);
              }
            }
          }
        } finally {
          await fake.close();
        }
      }),
      { numRuns: runs(25) },
    );
  });
});
