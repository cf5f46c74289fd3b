/**
 * `astro-api-client/testing` fed hostile values by a test author: every option of `startAstroFake`
 * and every control (`clock.advance`, `state.get/list/seed`) either takes a value it can use or
 * fails with an `AstroConfigError` and a bounded, printable message — never a `TypeError` or
 * `RangeError`, a fake that accepts no token it names, or a lifecycle that never ends (a waiter
 * against it would run to its maxWaitMs).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AstroConfigError, createAstroClient } from "../../src/index.js";
import { astroFakeHandlers, startAstroFake, type AstroFake } from "../../src/testing/index.js";
import { runs } from "../helpers/depth.js";
import { outcome } from "./outcome.js";
import { unprintable } from "./hostile-values.js";

const unusual = fc.oneof(unprintable, fc.constantFrom<unknown>("x".repeat(100_000), "a\r\nb"));
const anyValue = fc.oneof(unusual, fc.anything({ withBigInt: true, withNullPrototype: true }));
/** Numbers, the values a count or a duration is most often given wrongly as. */
const numbers = fc.oneof(
  fc.constantFrom<unknown>(Number.NaN, Infinity, -Infinity, -1, 0.5, Number.MAX_VALUE * 10, "2", null, true),
  fc.integer({ min: -5, max: 5 }),
  fc.double(),
);
const count = fc.oneof(numbers, anyValue);

const isCount = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isDuration = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0;

/** `error` is an AstroConfigError with a bounded, one-line message. */
function expectConfigError(error: unknown): void {
  expect(error).toBeInstanceOf(AstroConfigError);
  const message = (error as Error).message;
  expect(message.length).toBeLessThan(400);
  // eslint-disable-next-line no-control-regex -- control characters are what the message must not carry
  expect(message).not.toMatch(/[\x00-\x1f\x7f]/);
}

/** Starts a fake with `options` (no validation, no limits unless given: quick to start). */
async function started(options: Record<string, unknown>): Promise<AstroFake | Error> {
  try {
    return await startAstroFake({ validate: false, rateLimits: false, ...options } as never);
  } catch (error) {
    return error as Error;
  }
}

/**
 * Starts a fake with `options`: refused with an AstroConfigError (`undefined`), or the id of the
 * organization the SDK reads there with `fake.token` at `fake.organizationId`.
 */
async function organizationSeen(
  options: Record<string, unknown>,
  check: (fake: AstroFake) => void = () => {},
): Promise<string | undefined> {
  const fake = await started(options);
  if (fake instanceof Error) {
    expectConfigError(fake);
    return undefined;
  }
  try {
    check(fake);
    const astro = createAstroClient({ token: fake.token, baseUrl: fake.url, throttle: false });
    const { data } = await astro.getOrganization({ organizationId: fake.organizationId });
    return data.id;
  } finally {
    await fake.close();
  }
}

describe("startAstroFake's options", () => {
  it("tokens: the fake accepts fake.token, or the option is refused with AstroConfigError", async () => {
    const tokens = fc.oneof(
      anyValue,
      fc.constantFrom<unknown>(
        "secret-token",
        "any",
        [],
        [""],
        ["a b"],
        ["ok-token", 5],
        ["é-token"],
        ["t".repeat(20_000)],
      ),
      fc.array(fc.stringMatching(/^[\x21-\x7e]{1,20}$/), { minLength: 1, maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(tokens, async (value) => {
        const id = await organizationSeen({ tokens: value }, (fake) => {
          if (Array.isArray(value)) expect(fake.token).toBe(value[0]);
        });
        if (id !== undefined) expect(id).toBe("clfakeorg0000000000000001");
      }),
      { numRuns: runs(100) },
    );
  });

  it("organizationId: the organization is there at fake.organizationId for the SDK, or AstroConfigError", async () => {
    const ids = fc.oneof(
      anyValue,
      fc.constantFrom<unknown>("", "a/b", "..", ".", "%2f", "a?b", "a#b", "é", "org 1", "{organizationId}"),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(ids, async (value) => {
        const id = await organizationSeen({ organizationId: value });
        if (id !== undefined) expect(id).toBe(value ?? "clfakeorg0000000000000001");
      }),
      { numRuns: runs(100) },
    );
  });

  it("rateLimits, validate, lifecycles: usable values or AstroConfigError", async () => {
    const cases = fc.oneof(
      fc.record({ name: fc.constant("rateLimits.get"), value: count }),
      fc.record({ name: fc.constant("rateLimits"), value: anyValue }),
      fc.record({ name: fc.constant("validate"), value: anyValue }),
      fc.record({ name: fc.constant("lifecycles"), value: anyValue }),
      fc.record({
        name: fc.constantFrom("deployment", "cluster", "deploy").map((k) => `lifecycles.${k}`),
        value: anyValue,
      }),
      fc.record({
        name: fc
          .tuple(
            fc.constantFrom("deployment", "cluster", "deploy", "liveVersion"),
            fc.constantFrom("afterPolls", "afterMs"),
          )
          .map(([k, f]) => `lifecycles.${k}.${f}`),
        value: count,
      }),
      fc.record({
        name: fc.constantFrom("staleReads", "deployingReads").map((f) => `lifecycles.deploymentUpdate.${f}`),
        value: count,
      }),
      fc.record({
        name: fc.constantFrom("liveVersion", "deploymentUpdate", "clusterBusy").map((k) => `lifecycles.${k}`),
        value: anyValue,
      }),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ name, value }) => {
        const path = name.split(".");
        const options: Record<string, unknown> = {};
        let at = options;
        for (const key of path.slice(0, -1)) at = at[key] = {} as Record<string, unknown>;
        at[path.at(-1)!] = value;
        const fake = await started(options);
        const field = path.at(-1)!;
        const usable =
          value === undefined ||
          (field === "get"
            ? isCount(value)
            : ["afterPolls", "staleReads", "deployingReads"].includes(field)
              ? isCount(value) || value === Infinity
              : field === "afterMs"
                ? isDuration(value)
                : field === "validate" || field === "clusterBusy"
                  ? typeof value === "boolean"
                  : field === "liveVersion" || field === "deploymentUpdate" || field === "rateLimits"
                    ? value === false ||
                      (value !== null &&
                        typeof value === "object" &&
                        !Array.isArray(value) &&
                        Object.keys(value).length === 0)
                    : value !== null &&
                      typeof value === "object" &&
                      !Array.isArray(value) &&
                      Object.keys(value).length === 0);
        if (fake instanceof Error) {
          expectConfigError(fake);
          expect(usable).toBe(false);
          return;
        }
        await fake.close();
        expect(usable).toBe(true);
      }),
      { numRuns: runs(300) },
    );
  });
});

describe("the controls", () => {
  let fake: AstroFake;
  beforeAll(async () => {
    fake = await startAstroFake({ validate: false, rateLimits: false });
  });
  afterAll(() => fake.close());

  it("clock.advance: a duration, or AstroConfigError for any other value", () => {
    fc.assert(
      fc.property(fc.oneof(numbers, anyValue), (value) => {
        const before = fake.clock.now();
        let thrown: unknown;
        try {
          fake.clock.advance(value as number);
        } catch (error) {
          thrown = error;
        }
        // Up to a thousand years ahead: past what a Date holds, every timestamp failed.
        if (isDuration(value) && (value as number) <= 1000 * 365.25 * 24 * 3600 * 1000)
          expect(thrown).toBeUndefined();
        else {
          expectConfigError(thrown);
          expect(fake.clock.now() - before).toBeLessThan(1000);
        }
        fake.reset();
      }),
      { numRuns: runs(200) },
    );
  });

  it("clock.advance by any finite amount: refused, or the fake still creates and stamps resources", async () => {
    const astro = createAstroClient({
      token: fake.token,
      organizationId: fake.organizationId,
      baseUrl: fake.url,
      throttle: false,
    });
    for (const ms of [1e6, 3e12, 1e13, 8.64e15, 1e20, Number.MAX_VALUE]) {
      fake.reset();
      let thrown: unknown;
      try {
        fake.clock.advance(ms);
      } catch (error) {
        thrown = error;
      }
      if (thrown !== undefined) {
        expectConfigError(thrown);
        continue;
      }
      const { data } = await astro.createWorkspace({ body: { name: "w" } });
      expect(Date.parse(String(data.createdAt))).toBeGreaterThan(0);
    }
    fake.reset();
  });

  it("state.get, list and seed: an answer, or AstroConfigError for a path that is no string", () => {
    fc.assert(
      fc.property(anyValue, fc.constantFrom("get", "list", "seed"), (value, method) => {
        const result = (() => {
          try {
            return (fake.state[method] as (path: unknown) => unknown)(value);
          } catch (error) {
            return error;
          }
        })();
        if (typeof value !== "string") expectConfigError(result);
        else if (result instanceof Error) expectConfigError(result);
      }),
      { numRuns: runs(200) },
    );
  });

  it("state.seed: fields that are no object are AstroConfigError", async () => {
    for (const fields of [null, "x", 5, [1], Symbol("s")]) {
      const error = await outcome(() =>
        fake.state.seed(`/organizations/${fake.organizationId}/workspaces`, fields as never),
      );
      expectConfigError(error);
    }
  });
});

describe("fault latency", () => {
  it("longer than a timer holds is AstroConfigError (it fired at once, with a TimeoutOverflowWarning)", async () => {
    for (const latencyMs of [2 ** 31, 3e9, [0, 1e12]]) {
      const fake = await started({ faults: { latencyMs } });
      if (!(fake instanceof Error)) await fake.close();
      expectConfigError(fake);
    }
  });
});

describe("where the fake listens", () => {
  it("port and host: a fake on loopback, or AstroConfigError (never a RangeError or TypeError of node:net)", async () => {
    const ports = fc.oneof(numbers, anyValue, fc.constantFrom<unknown>(65_536, 70_000, -1, 0, "8080", 1.5));
    const hosts = fc.oneof(
      anyValue,
      fc.constantFrom<unknown>("127.0.0.1", "::1", "localhost", "", 5, "not a host name"),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("port", "host"), ports, hosts, async (option, port, host) => {
        const value = option === "port" ? port : host;
        const fake = await started({ [option]: value });
        if (fake instanceof Error) return expectConfigError(fake);
        await fake.close();
      }),
      { numRuns: runs(100) },
    );
  });
});

describe("the entry points given no options object, or no msw module", () => {
  it("startAstroFake and astroFakeHandlers answer AstroConfigError", async () => {
    const msw = { http: { all: () => ({}) }, HttpResponse: { error: () => Response.error() } };
    await fc.assert(
      fc.asyncProperty(
        anyValue,
        fc.constantFrom("start", "handlers options", "msw"),
        async (value, where) => {
          fc.pre(value !== undefined && (where === "msw" || value === null || typeof value !== "object"));
          const error = await outcome(() =>
            where === "start"
              ? startAstroFake(value as never)
              : where === "msw"
                ? astroFakeHandlers(value as never, { validate: false })
                : astroFakeHandlers(msw, value as never),
          );
          expectConfigError(error);
        },
      ),
      { numRuns: runs(100) },
    );
  });

  it("astroFakeHandlers: an origin with a long path is refused with a bounded message", async () => {
    const msw = { http: { all: () => ({}) }, HttpResponse: { error: () => Response.error() } };
    const error = await outcome(() =>
      astroFakeHandlers(msw, { baseUrl: `https://h.example/${"p".repeat(100_000)}`, validate: false }),
    );
    expectConfigError(error);
  });
});
