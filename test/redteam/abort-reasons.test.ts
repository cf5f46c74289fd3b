/**
 * The caller's `AbortSignal` aborted with odd reasons. A call rejects with the signal's reason as
 * it is (what `fetch` does), whatever that reason is — `null`, `0`, `""` and `false` included,
 * which openapi-fetch takes for "no error" when `fetch` rejects with them. A signal whose `reason`
 * is a getter that throws still stops every call sharing it, at once, with an `AstroConfigError`,
 * and nothing escapes as an uncaught exception.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AstroConfigError } from "../../src/index.js";
import { json, v1ClientFor } from "../helpers/client.js";
import { startRecordingServer, type RecordingServer } from "../helpers/recording-server.js";
import { outcome } from "./outcome.js";

const TOKEN = "abort-reasons-SECRET-7d2f10";
let api: RecordingServer;
beforeAll(async () => {
  api = await startRecordingServer();
});
afterAll(() => api.close());

/** Where the call is when the caller aborts. */
type Phase = "before the call" | "in flight" | "waiting to retry" | "waiting for the token";

/** Aborts `controller` with `reason` at `phase` of a listDeployments call; answers what it rejected with. */
async function abortAt(phase: Phase, reason: unknown): Promise<{ rejected: unknown; signal: AbortSignal }> {
  const controller = new AbortController();
  const abort = () => controller.abort(reason);
  api.handle((_, res) => {
    // In flight: the server holds the request and never answers; waiting to retry: a 503.
    if (phase === "in flight") abort();
    else json(res, 503, { message: "busy" });
  });
  const astro = v1ClientFor(api, TOKEN, {
    // Long enough that only the abort can end the call.
    timeoutMs: 600_000,
    initialDelayMs: 600_000,
    maxDelayMs: 600_000,
    token:
      phase === "waiting for the token"
        ? () => {
            setImmediate(abort);
            return new Promise<string>(() => undefined);
          }
        : TOKEN,
    onEvent: (event) => {
      if (phase === "waiting to retry" && event.type === "retry") abort();
    },
  });
  if (phase === "before the call") abort();
  const rejected = await outcome(() => astro.listDeployments({}, { signal: controller.signal }));
  return { rejected, signal: controller.signal };
}

describe("a call aborted", () => {
  it("rejects with the signal's reason as it is, whatever the reason and wherever the call is", async () => {
    const phases = fc.constantFrom<Phase>(
      "before the call",
      "in flight",
      "waiting to retry",
      "waiting for the token",
    );
    const reasons = fc.oneof(
      fc.constantFrom(null, 0, "", false, Number.NaN, undefined, "a string"),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(phases, reasons, async (phase, reason) => {
        const { rejected, signal } = await abortAt(phase, reason);
        // `abort(undefined)` makes the signal's own AbortError the reason.
        expect(Object.is(rejected, signal.reason)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("with a reason getter that throws: every call sharing the signal ends at once, with AstroConfigError", async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", record);
    try {
      api.handle(() => undefined); // holds every request, never answers
      const astro = v1ClientFor(api, TOKEN, { timeoutMs: 600_000 });
      const controller = new AbortController();
      Object.defineProperty(controller.signal, "reason", {
        get() {
          throw new Error("reason is not readable");
        },
      });
      const sent = api.received.length;
      const calls = [1, 2, 3].map(() =>
        outcome(() => astro.listDeployments({}, { signal: controller.signal })),
      );
      while (api.received.length < sent + 3) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      for (const rejected of await Promise.all(calls)) {
        expect(rejected).toBeInstanceOf(AstroConfigError);
        expect((rejected as Error).message).toMatch(/signal.*reason/);
      }
      // An already-aborted signal of that kind: nothing is sent.
      const before = api.received.length;
      expect(await outcome(() => astro.listDeployments({}, { signal: controller.signal }))).toBeInstanceOf(
        AstroConfigError,
      );
      expect(api.received).toHaveLength(before);
      await new Promise((resolve) => setImmediate(resolve));
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", record);
    }
  });
});
