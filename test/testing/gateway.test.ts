/** The gateway's answers: 401/403 in plain text without a requestId, and 429 + Retry-After per token and method class. */
import { afterEach, describe, expect, it } from "vitest";
import { startAstroFake, type AstroFake } from "../../src/testing/index.js";
import { call, org } from "./fake-client.js";

let fake: AstroFake | undefined;
afterEach(() => fake?.close());

/** Sends `n` requests at once and counts the answers by status. */
async function burst(f: AstroFake, n: number, method: string, path: (i: number) => string, token?: string) {
  const answers = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      call(f, method, path(i), { token, body: method === "POST" ? { name: `w${i}` } : undefined }),
    ),
  );
  const count = (status: number) => answers.filter((a) => a.status === status).length;
  return { answers, count };
}

describe("tokens", () => {
  it("answers 401 without a bearer token and 403 for an unknown one, in text/plain with no requestId", async () => {
    fake = await startAstroFake({ tokens: ["known"] });
    expect(fake.token).toBe("known");
    for (const [token, status] of [
      [null, 401],
      ["", 401],
      ["other", 403],
    ] as const) {
      const answer = await call(fake, "GET", `${org(fake)}/workspaces`, { token });
      expect(answer.status).toBe(status);
      expect(answer.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(answer.text).not.toMatch(/requestId/i);
      expect(answer.headers.get("x-request-id")).toBeNull();
    }
    const basic = await fetch(`${fake.url}/v1${org(fake)}/workspaces`, {
      headers: { authorization: "Basic a25vd24=" },
    });
    expect(basic.status).toBe(401);
    expect((await call(fake, "GET", `${org(fake)}/workspaces`, { token: "known" })).status).toBe(200);
  });

  it("lets any bearer token in with tokens: 'any'", async () => {
    fake = await startAstroFake({ tokens: "any" });
    expect((await call(fake, "GET", `${org(fake)}/workspaces`, { token: "whatever" })).status).toBe(200);
  });
});

describe("rate limits", () => {
  it("admits 25 GETs, 10 POSTs and 5 DELETEs per token per second, then answers 429 with Retry-After", async () => {
    fake = await startAstroFake({ tokens: ["a", "b"] });
    const f = fake;
    const gets = await burst(f, 30, "GET", () => `${org(f)}/workspaces`, "a");
    expect(gets.count(200)).toBe(25);
    expect(gets.count(429)).toBe(5);
    const limited = gets.answers.find((a) => a.status === 429)!;
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.json).toMatchObject({ statusCode: 429, requestId: expect.any(String) as unknown });
    // Another token, and another class, have budgets of their own.
    expect((await burst(f, 25, "GET", () => `${org(f)}/workspaces`, "b")).count(200)).toBe(25);
    const posts = await burst(f, 12, "POST", () => `${org(f)}/workspaces`, "a");
    expect([posts.count(200), posts.count(429)]).toEqual([10, 2]);
    const deletes = await burst(f, 7, "DELETE", (i) => `${org(f)}/workspaces/none-${i}`, "a");
    expect([deletes.count(404), deletes.count(429)]).toEqual([5, 2]);
  });

  it("takes other limits, or none", async () => {
    fake = await startAstroFake({ rateLimits: { get: 3 } });
    const f = fake;
    expect((await burst(f, 5, "GET", () => `${org(f)}/workspaces`)).count(429)).toBe(2);
    await f.close();
    fake = await startAstroFake({ rateLimits: false });
    const g = fake;
    expect((await burst(g, 60, "GET", () => `${org(g)}/workspaces`)).count(200)).toBe(60);
  });

  it("answers every request of a class with a limit of 0 with 429, and refuses limits that are no count", async () => {
    fake = await startAstroFake({ rateLimits: { post: 0 } });
    const refused = await call(fake, "POST", `${org(fake)}/workspaces`, { body: { name: "w" } });
    expect([refused.status, refused.headers.get("retry-after")]).toEqual([429, "1"]);
    expect((await call(fake, "GET", `${org(fake)}/workspaces`)).status).toBe(200);
    for (const get of [-1, 1.5, Number.NaN])
      await expect(startAstroFake({ rateLimits: { get } })).rejects.toThrow(
        /rateLimits.get must be a whole number/,
      );
  });

  it("admits again once the second has passed", async () => {
    fake = await startAstroFake({ rateLimits: { delete: 1 } });
    const f = fake;
    expect((await call(f, "DELETE", `${org(f)}/workspaces/x`)).status).toBe(404);
    const limited = await call(f, "DELETE", `${org(f)}/workspaces/x`);
    expect(limited.status).toBe(429);
    await new Promise((resolve) =>
      setTimeout(resolve, Number(limited.headers.get("retry-after")) * 1000 + 50),
    );
    expect((await call(f, "DELETE", `${org(f)}/workspaces/x`)).status).toBe(404);
  });
});
