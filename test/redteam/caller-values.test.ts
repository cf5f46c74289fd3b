/**
 * Whatever a careless caller passes where an id, an options object or a folder goes — BigInts,
 * cyclic objects, symbols, huge strings — the answer is an `AstroConfigError` before anything is
 * sent, never a TypeError from describing the value.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroConfigError, createAstroClient } from "../../src/index.js";
import { useRecordingServer } from "../helpers/client.js";
import { outcome } from "./outcome.js";
import { runs } from "../helpers/depth.js";

const api = useRecordingServer();

const cyclic = (): unknown => {
  const value: Record<string, unknown> = { id: "x" };
  value.self = value;
  return value;
};
const hostile = fc.oneof(
  fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true }),
  fc.bigInt(),
  fc.constantFrom(
    10n,
    Symbol("id"),
    cyclic(),
    [cyclic()],
    "..",
    ".",
    "",
    "%2e%2e",
    "a/b",
    "x".repeat(100_000),
  ),
);

describe("values a caller should not pass", () => {
  const astro = () =>
    createAstroClient({
      token: "caller-values-token",
      organizationId: "o",
      baseUrl: api.server.url,
      throttle: false,
    });

  it("as a waiter's id: AstroConfigError, bounded, nothing sent", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile,
        fc.constantFrom<
          "waitUntilDeploymentReady" | "waitUntilClusterReady" | "waitUntilDeployFinished" | "deployDags"
        >("waitUntilDeploymentReady", "waitUntilClusterReady", "waitUntilDeployFinished", "deployDags"),
        async (id, method) => {
          // A usable id would start a real wait: only the unusable ones are this test's.
          fc.pre(!(typeof id === "string" && /^[\x21-\x7e]+$/.test(id) && !/[/?#%\\]|^\.{1,2}$/.test(id)));
          const client = astro();
          const ids = { deploymentId: id, clusterId: id, deployId: id };
          const error = await outcome(() => (client[method] as (ids: unknown) => Promise<unknown>)(ids));
          expect(error).toBeInstanceOf(AstroConfigError);
          expect((error as Error).message.length).toBeLessThan(2_000);
          expect(api.server.received).toHaveLength(0);
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it("as the ids object itself, or waitUntilDeleted's get: AstroConfigError", async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        const client = astro();
        fc.pre(value === null || typeof value !== "object");
        const error = await outcome(() =>
          (client.waitUntilDeploymentReady as (ids: unknown) => Promise<unknown>)(value),
        );
        expect(error).toBeInstanceOf(AstroConfigError);
        const deleted = await outcome(() =>
          (client.waitUntilDeleted as (ids: unknown) => Promise<unknown>)({ get: value, deploymentId: "d" }),
        );
        expect(deleted).toBeInstanceOf(AstroConfigError);
        expect(api.server.received).toHaveLength(0);
      }),
      { numRuns: runs(300) },
    );
  });

  it("as the client's organizationId or deployDags' directory: AstroConfigError", async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        // undefined is "not given" (the environment's default applies).
        fc.pre(value !== undefined);
        fc.pre(
          typeof value !== "string" ||
            value === "" ||
            !/^[\x21-\x7e]+$/.test(value) ||
            /^\.{1,2}$|\//.test(value),
        );
        const built = await outcome(() => createAstroClient({ token: "t", organizationId: value as string }));
        expect(built).toBeInstanceOf(AstroConfigError);
        fc.pre(typeof value !== "string");
        const packed = await outcome(() =>
          astro().deployDags({ deploymentId: "d", directory: value as string }),
        );
        expect(packed).toBeInstanceOf(AstroConfigError);
      }),
      { numRuns: runs(300) },
    );
  });

  it("as a parameter name or a path: AstroConfigError in one printable, bounded line", async () => {
    const texts = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom("k\n\u001b[31mred", `x${"\u202e".repeat(3)}y`, "x".repeat(100_000)),
    );
    await fc.assert(
      fc.asyncProperty(texts, async (text) => {
        const client = astro();
        const unknownKey = await outcome(() =>
          (client.listDeployments as (args: unknown) => Promise<unknown>)({ [`no-${text}`]: 1 }),
        );
        const nullOptions = await outcome(() =>
          (client.GET as (path: string, init: unknown) => Promise<unknown>)(`/${text}`, null),
        );
        // A template outside the manifest, named in the message about its parameter.
        const longTemplate = await outcome(() =>
          (client.GET as (path: string, init: unknown) => Promise<unknown>)(`/${"t".repeat(5_000)}/{id}`, {
            params: { path: { id: `${text}/..` } },
          }),
        );
        for (const error of [unknownKey, nullOptions, longTemplate]) {
          expect(error).toBeInstanceOf(AstroConfigError);
          const { message } = error as Error;
          expect(message.length).toBeLessThan(1_000);
          // eslint-disable-next-line no-control-regex
          expect(message).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]/);
        }
        expect(api.server.received).toHaveLength(0);
      }),
      { numRuns: runs(200) },
    );
  });
});
