/** Injected faults: latency, a share of 5xx, dropped connections — seeded, global or per operation. */
import { afterEach, describe, expect, it } from "vitest";
import { startAstroFake, type AstroFake, type FaultOptions } from "../../src/testing/index.js";
import { call, org } from "./fake-client.js";
import { responseProblems } from "./v1-document.js";

let fake: AstroFake | undefined;
afterEach(() => fake?.close());

/** Status of each of `n` sequential GETs; 0 for a dropped connection. */
async function statuses(f: AstroFake, n: number, path = `${org(f)}/workspaces`): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      await call(f, "GET", path).then(
        (a) => a.status,
        () => 0,
      ),
    );
  return out;
}

describe("faults", () => {
  it("adds latency", async () => {
    fake = await startAstroFake({ faults: { latencyMs: 150 } });
    const started = performance.now();
    expect((await call(fake, "GET", `${org(fake)}/workspaces`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("answers a share of requests with a 5xx in the API's error shape, the same ones for the same seed", async () => {
    const options: FaultOptions = { errorRate: 0.5, errorStatus: 502, seed: "s1" };
    fake = await startAstroFake({ faults: options, rateLimits: false });
    const first = await statuses(fake, 40);
    expect(first.filter((s) => s === 502).length).toBeGreaterThan(5);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(5);
    const failed = await (async () => {
      for (;;) {
        const a = await call(fake, "GET", `${org(fake)}/workspaces`);
        if (a.status === 502) return a;
      }
    })();
    expect(responseProblems("ListWorkspaces", 500, { ...failed.json, statusCode: 500 })).toEqual([]);
    await fake.close();
    fake = await startAstroFake({ faults: options, rateLimits: false });
    expect(await statuses(fake, 40)).toEqual(first);
  });

  it("drops a share of connections", async () => {
    fake = await startAstroFake({ faults: { resetRate: 1 } });
    await expect(call(fake, "GET", `${org(fake)}/workspaces`)).rejects.toThrow(TypeError);
    expect(fake.requests.at(-1)).toMatchObject({ operationId: "ListWorkspaces", status: 0 });
  });

  it("applies a rule to its operation only, and faults.set/clear change them at run time", async () => {
    fake = await startAstroFake({ faults: { operations: { GetWorkspace: { errorRate: 1 } } } });
    const ws = fake.state.seed(`${org(fake)}/workspaces`, { name: "w" });
    expect(await statuses(fake, 2, `${org(fake)}/workspaces/${String(ws.id)}`)).toEqual([503, 503]);
    expect(await statuses(fake, 2)).toEqual([200, 200]);
    fake.faults.set({ errorRate: 1, errorStatus: 500 });
    expect(await statuses(fake, 1)).toEqual([500]);
    fake.faults.clear();
    expect(await statuses(fake, 1)).toEqual([200]);
  });

  it("drops the answer of a handled request once: the delete is done, the client sees a reset, a retry gets 404", async () => {
    fake = await startAstroFake();
    const ws = fake.state.seed(`${org(fake)}/workspaces`, { name: "w" });
    const path = `${org(fake)}/workspaces/${String(ws.id)}`;
    fake.faults.once({ operationId: "DeleteWorkspace", kind: "reset", after: true });
    await expect(call(fake, "DELETE", path)).rejects.toThrow(TypeError);
    expect(fake.state.get(path)).toBeUndefined();
    expect((await call(fake, "DELETE", path)).status).toBe(404);
  });

  it("fails the next request before handling it with a one-shot error", async () => {
    fake = await startAstroFake();
    fake.faults.once({ kind: "error", status: 500, times: 2 });
    const created = await call(fake, "POST", `${org(fake)}/workspaces`, { body: { name: "w" } });
    expect(created.status).toBe(500);
    expect(fake.state.list(`${org(fake)}/workspaces`)).toEqual([]);
    expect(await statuses(fake, 2)).toEqual([500, 200]);
  });
});
