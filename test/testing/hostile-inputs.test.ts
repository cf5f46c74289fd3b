/**
 * The fake under inputs a careless or hostile client sends: query names every object inherits,
 * numbers in spellings the API refuses, malformed upload names, bodies nested past any sane
 * depth or larger than the fake takes, deletes racing each other, and a token per request. Each
 * ends in a deliberate answer — never a 500 of the fake's own, a wrong list or a reset.
 */
import { request } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AstroConfigError } from "../../src/errors/error-classes.js";
import { createRateLimiter } from "../../src/testing/gateway.js";
import { startAstroFake, type AstroFake } from "../../src/testing/index.js";
import { DEFAULT_LIMITS } from "../../src/throttle/limits.js";
import { call, org } from "./fake-client.js";
import { runs } from "../helpers/depth.js";

/** The parts of the fake's list answers these tests read. */
interface WorkspacePage {
  workspaces: { id: string }[];
  limit: number;
  offset: number;
}

let fake: AstroFake;
let workspaceId: string;
beforeAll(async () => {
  fake = await startAstroFake({ rateLimits: false });
  workspaceId = String(fake.state.seed(`${org(fake)}/workspaces`, { name: "kept" }).id);
});
afterAll(() => fake.close());

describe("list filters", () => {
  it("ignore query names that are not fields of the records, inherited ones included", async () => {
    const inherited = Object.getOwnPropertyNames(Object.prototype).filter((n) => n !== "__proto__");
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...inherited), fc.string({ maxLength: 8 }), async (name, value) => {
        const answer = await call(fake, "GET", `${org(fake)}/workspaces`, { query: { [name]: value } });
        expect(answer.status, answer.text).toBe(200);
        expect((answer.json as WorkspacePage).workspaces.map((w) => w.id)).toContain(workspaceId);
      }),
      { numRuns: runs(40) },
    );
  });
});

describe("numbers in the query", () => {
  it("are decimal digits: other spellings Number() would take are refused with fieldErrors", async () => {
    for (const limit of ["0x10", "1e1", " 1", "1 ", "+1", "Infinity", "0b1", "1.0", "", "9".repeat(20)]) {
      const answer = await call(fake, "GET", `${org(fake)}/workspaces`, { query: { limit } });
      expect(answer.status, JSON.stringify(limit)).toBe(400);
      expect((answer.json as { fieldErrors: unknown }).fieldErrors).toEqual([
        expect.objectContaining({ field: "limit" }),
      ]);
    }
    const ok = await call(fake, "GET", `${org(fake)}/workspaces`, { query: { limit: "1", offset: "0" } });
    const okPage = ok.json as WorkspacePage;
    expect([ok.status, okPage.limit, okPage.offset]).toEqual([200, 1, 0]);
  });
});

describe("the upload URL", () => {
  it("answers any name it did not hand out with Azure's 404, malformed escapes included", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom("%", "%E0%A4%A", "%zz", "..%2F..", "%00"), fc.string({ maxLength: 20 })),
        async (name) => {
          const path = `/fake-blob/dags/${name.replace(/[^%\w.-]/g, (c) => encodeURIComponent(c))}.tar.gz`;
          const response = await fetch(`${fake.url}${path}?sig=x`, { method: "PUT", body: "x" });
          const text = await response.text();
          expect(response.status, text).toBe(404);
          expect(text).toContain("<Code>ResourceNotFound</Code>");
        },
      ),
      { numRuns: runs(40) },
    );
  });
});

describe("bodies", () => {
  it("nested past any depth: 400 with fieldErrors, with or without validation", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const unvalidated = await startAstroFake({ rateLimits: false, validate: false });
    try {
      for (const f of [fake, unvalidated]) {
        const answer = await fetch(`${f.url}/v1${org(f)}/workspaces`, {
          method: "POST",
          headers: { authorization: `Bearer ${f.token}`, "content-type": "application/json" },
          body: `{"name":"deep","description":${deep}}`,
        });
        const body = (await answer.json()) as { fieldErrors?: unknown[] };
        expect(answer.status).toBe(400);
        expect(body.fieldErrors).toHaveLength(1);
      }
      // Without validation, paging values the API refuses fall back to the defaults.
      const page = await call(unvalidated, "GET", `${org(unvalidated)}/workspaces`, {
        query: { offset: "-2", limit: "-1" },
      });
      const pageBody = page.json as WorkspacePage;
      expect([page.status, pageBody.offset, pageBody.limit]).toEqual([200, 0, 20]);
    } finally {
      await unvalidated.close();
    }
  });

  it("over 64 MB: the client reads a 413 (not a reset), and the fake goes on serving", async () => {
    const { port } = new URL(fake.url);
    const big = Buffer.alloc(64 * 1024 * 1024 + 1, 0x20);
    const status = await new Promise<number | string>((resolve) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: `/v1${org(fake)}/workspaces`,
          headers: { authorization: `Bearer ${fake.token}`, "content-length": big.length },
        },
        (res) => res.resume().on("end", () => resolve(res.statusCode!)),
      );
      req.on("error", (error) => resolve(error.message));
      req.end(big);
    });
    expect(status).toBe(413);
    expect((await call(fake, "GET", `${org(fake)}/workspaces/${workspaceId}`)).status).toBe(200);
  }, 60_000);
});

describe("deletes racing", () => {
  it("exactly one of many concurrent deletes succeeds; the others get the API's 404", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 12 }), async (n) => {
        const id = String(fake.state.seed(`${org(fake)}/workspaces`, { name: "doomed" }).id);
        const answers = await Promise.all(
          Array.from({ length: n }, () => call(fake, "DELETE", `${org(fake)}/workspaces/${id}`)),
        );
        expect(answers.map((a) => a.status).sort()).toEqual([204, ...Array<number>(n - 1).fill(404)]);
        for (const a of answers.filter((a) => a.status === 404))
          expect(a.json).toMatchObject({ statusCode: 404, requestId: expect.any(String) as unknown });
        expect(fake.state.get(`${org(fake)}/workspaces/${id}`)).toBeUndefined();
      }),
      { numRuns: runs(10) },
    );
  });
});

describe("rate limits per token", () => {
  it("keep no window for a token idle for a second, however many tokens came", () => {
    const limiter = createRateLimiter(DEFAULT_LIMITS);
    for (let i = 0; i < 5000; i++) limiter.take(`token-${i}`, "GET", 0);
    expect(limiter.size()).toBe(5000);
    // The sweep runs every 1,024 requests: by then every earlier window has been idle a second.
    for (let i = 0; i < 1024; i++) limiter.take("steady", "GET", 2000 + i * 40);
    expect(limiter.size()).toBeLessThanOrEqual(1);
  });
});

describe("fault options", () => {
  it("refuse what cannot work, naming it, where it is given", async () => {
    const bad: [Parameters<typeof startAstroFake>[0], RegExp][] = [
      [
        { faults: { errorStatus: 99 } },
        /faults\.errorStatus must be an HTTP error status \(400–599\), got 99/,
      ],
      [{ faults: { errorRate: 2 } }, /faults\.errorRate must be a share between 0 and 1, got 2/],
      [{ faults: { latencyMs: [50, 10] } }, /faults\.latencyMs must be .*, got \[50,10\]/],
      [{ faults: { latencyMs: Number.NaN } }, /faults\.latencyMs must be/],
      [
        { faults: { operations: { DeleteDeploymnet: { errorRate: 1 } } } },
        /faults\.operations key must be an operationId of the API .*, got "DeleteDeploymnet"/,
      ],
    ];
    for (const [options, message] of bad) await expect(startAstroFake(options)).rejects.toThrow(message);
    expect(() => fake.faults.once({ operationId: "DeleteDeploymnet", kind: "reset" })).toThrow(
      /faults\.once\(\)\.operationId must be an operationId/,
    );
    expect(() => fake.faults.once({ kind: "explode" as "reset" })).toThrow(/kind must be "reset" or "error"/);
    expect(() => fake.faults.once({ kind: "error", times: 0 })).toThrow(/times must be a whole number ≥ 1/);
    expect(() => fake.faults.set({ resetRate: -1 })).toThrow(/faults\.resetRate must be a share/);
    // Nothing refused was queued or kept.
    expect((await call(fake, "GET", `${org(fake)}/workspaces/${workspaceId}`)).status).toBe(200);
  });

  it("a one-shot error status is either refused or answered as given, never a crash of the server", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -100, max: 1100 }), async (status) => {
        let queued = true;
        try {
          fake.faults.once({ operationId: "GetWorkspace", kind: "error", status });
        } catch (error) {
          expect(error).toBeInstanceOf(AstroConfigError);
          queued = false;
        }
        const asking = call(fake, "GET", `${org(fake)}/workspaces/${workspaceId}`);
        if (queued && status === 407) {
          // The fake answers 407, but fetch never shows one: the Fetch standard turns a 407 into a
          // network error. The next request gets the ordinary answer: the fault was used.
          await expect(asking).rejects.toThrow(TypeError);
          expect((await call(fake, "GET", `${org(fake)}/workspaces/${workspaceId}`)).status).toBe(200);
          return;
        }
        // Nor a 421: the Fetch standard sends the request again on a new connection, which gets
        // the ordinary answer (the one-shot fault was used by the first).
        const shown = queued && status !== 421 ? status : 200;
        expect((await asking).status).toBe(shown);
      }),
      // 407 and 421 always, and the edges of what may be queued.
      { numRuns: runs(60), examples: [[407], [421], [399], [400], [599], [600]] },
    );
  });

  it("of any value are kept, or refused with AstroConfigError and a bounded message (BigInts and cycles included)", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const values = fc.oneof(
      fc.constantFrom<unknown>(10n, cyclic, "x".repeat(100_000), [cyclic]),
      fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true }),
    );
    fc.assert(
      fc.property(
        values,
        fc.constantFrom("status", "times", "kind", "operationId", "rate"),
        (value, field) => {
          const refused = (run: () => void) => {
            try {
              run();
            } catch (error) {
              expect(error).toBeInstanceOf(AstroConfigError);
              expect((error as Error).message.length).toBeLessThan(400);
              return;
            }
            // Accepted (a value that happens to fit): nothing of it may stay queued for the next tests.
            fake.faults.clear();
          };
          if (field === "rate") refused(() => fake.faults.set({ errorRate: value as number }));
          else refused(() => fake.faults.once({ kind: "error", status: 500, [field]: value } as never));
        },
      ),
      { numRuns: runs(200) },
    );
  });
});
