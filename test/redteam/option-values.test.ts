/**
 * Every numeric option, given any value at all (objects without a prototype, objects whose
 * toString throws, symbols, BigInts): a valid number or an `AstroConfigError` — never the
 * caller's own exception or a TypeError from printing the value.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroConfigError, createAstroClient } from "../../src/index.js";
import { useRecordingServer } from "../helpers/client.js";
import { outcome } from "./outcome.js";
import { unprintable } from "./hostile-values.js";
import { runs } from "../helpers/depth.js";

const api = useRecordingServer();

const values = fc.oneof(unprintable, fc.anything({ withBigInt: true, withNullPrototype: true }));

const isUsableNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v > 0;

describe("numeric options given any value", () => {
  const client = () =>
    createAstroClient({ token: "opt-values", organizationId: "o", baseUrl: api.server.url, throttle: false });

  it("waiter timing (maxWaitMs, minDelayMs, maxDelayMs)", async () => {
    await fc.assert(
      fc.asyncProperty(
        values,
        fc.constantFrom("maxWaitMs", "minDelayMs", "maxDelayMs"),
        async (value, name) => {
          fc.pre(value !== undefined && !isUsableNumber(value));
          const error = await outcome(() =>
            client().waitUntilDeploymentReady({ deploymentId: "d" }, { [name]: value }),
          );
          expect(error).toBeInstanceOf(AstroConfigError);
          expect(api.server.received).toHaveLength(0);
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it("upload retries (upload.maxAttempts, upload.timeoutMs)", async () => {
    await fc.assert(
      fc.asyncProperty(values, fc.constantFrom("maxAttempts", "timeoutMs"), async (value, name) => {
        fc.pre(value !== undefined && !(typeof value === "number" && Number.isInteger(value) && value >= 1));
        const error = await outcome(() =>
          client().deployDags(
            { deploymentId: "d", tarball: new Uint8Array([0x1f, 0x8b]) },
            { upload: { [name]: value } },
          ),
        );
        expect(error).toBeInstanceOf(AstroConfigError);
        expect(api.server.received).toHaveLength(0);
      }),
      { numRuns: runs(200) },
    );
  });

  it("throttle limits and marginMs, paginate's max", async () => {
    await fc.assert(
      fc.asyncProperty(values, async (value) => {
        // null stands for "not given" where a default applies (marginMs), so it is left out here.
        fc.pre(typeof value !== "number" && value !== undefined && value !== null);
        const limits = await outcome(() =>
          createAstroClient({ token: "t", throttle: { limits: { get: value as number } } }),
        );
        expect(limits).toBeInstanceOf(AstroConfigError);
        const margin = await outcome(() =>
          createAstroClient({ token: "t", throttle: { marginMs: value as number } }),
        );
        expect(margin).toBeInstanceOf(AstroConfigError);
        const paged = await outcome(() =>
          client()
            .paginate("/organizations/{organizationId}/deployments")
            .collect({ max: value as number }),
        );
        expect(paged).toBeInstanceOf(AstroConfigError);
      }),
      { numRuns: runs(200) },
    );
  });
});

describe("paginate given a path that is no string", () => {
  it("answers AstroConfigError for any value, a printable message for any string", () => {
    const astro = createAstroClient({ token: "t", organizationId: "o", throttle: false });
    fc.assert(
      fc.property(fc.oneof(values, fc.string({ unit: "binary", maxLength: 5000 })), (path) => {
        let thrown: unknown;
        try {
          (astro.paginate as (path: unknown) => unknown)(path);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(AstroConfigError);
        // eslint-disable-next-line no-control-regex -- control characters are what the message must not carry
        expect((thrown as Error).message).not.toMatch(/[\x00-\x1f\x7f]/);
        expect((thrown as Error).message.length).toBeLessThan(600);
      }),
      { numRuns: runs(300) },
    );
  });
});
