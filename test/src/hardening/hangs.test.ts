/**
 * #14 class 6: nothing hangs. The token function is bounded by the call's signal and timeoutMs;
 * timer values beyond what setTimeout can hold (2³¹−1 ms) are rejected, never wrapped to "now".
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AstroConfigError,
  AstroTimeoutError,
  RateLimitError,
  createAstroClient,
} from "../../../src/v1beta1/index.js";
import { clientFor, json, rejection, useRecordingServer } from "../../helpers/client.js";

const ctx = useRecordingServer();
const MAX_TIMER_MS = 2 ** 31 - 1;

describe("the token function", () => {
  it("that never settles ends in AstroTimeoutError after timeoutMs, and nothing is sent", async () => {
    const astro = clientFor(ctx.server, {
      token: () => new Promise<string>(() => undefined),
      timeoutMs: 150,
    });
    const started = performance.now();
    const error = await rejection(astro.platform.GET("/organizations"));
    expect(error).toBeInstanceOf(AstroTimeoutError);
    expect(error.message).toMatch(/options\.token\(\) returned no token within 150 ms/);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(ctx.server.received).toHaveLength(0);
  });

  it("is abandoned as soon as the caller aborts", async () => {
    const astro = clientFor(ctx.server, { token: () => new Promise<string>(() => undefined) });
    const controller = new AbortController();
    const pending = astro.platform.GET("/organizations", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("caller gave up")), 50);
    const started = performance.now();
    const error = await rejection(pending);
    expect(error.message).toBe("caller gave up");
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(ctx.server.received).toHaveLength(0);
  });
});

describe("timer values", () => {
  const tooLong = fc.oneof(
    fc.integer({ min: MAX_TIMER_MS + 1, max: Number.MAX_SAFE_INTEGER }),
    fc.double({ min: MAX_TIMER_MS + 1, noNaN: true, noDefaultInfinity: true }),
  );

  it("beyond 2³¹−1 ms are rejected at construction, naming the option", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("timeoutMs", "initialDelayMs", "maxDelayMs", "maxRetryAfterMs"),
        tooLong,
        (option, value) => {
          const build = () => createAstroClient({ token: "t", [option]: value });
          expect(build).toThrow(AstroConfigError);
          expect(build).toThrow(new RegExp(`${option} must be at most ${MAX_TIMER_MS}`));
        },
      ),
    );
  });

  it("at the largest a timer holds are accepted", () => {
    expect(() =>
      createAstroClient({
        token: "t",
        timeoutMs: MAX_TIMER_MS,
        initialDelayMs: MAX_TIMER_MS,
        maxDelayMs: MAX_TIMER_MS,
        maxRetryAfterMs: MAX_TIMER_MS,
      }),
    ).not.toThrow();
  });

  it("beyond 2³¹−1 ms per call are rejected before sending", async () => {
    const error = await rejection(
      clientFor(ctx.server).platform.GET("/organizations", { timeoutMs: 2 ** 40 }),
    );
    expect(error).toBeInstanceOf(AstroConfigError);
    expect(ctx.server.received).toHaveLength(0);
  });

  it("a Retry-After no timer can hold is not waited for (nor wrapped to an immediate retry)", async () => {
    ctx.server.handle((_, res) => json(res, 429, { message: "later" }, { "retry-after": String(2 ** 40) }));
    const astro = clientFor(ctx.server, { maxRetryAfterMs: MAX_TIMER_MS });
    const error = (await rejection(astro.platform.GET("/organizations"))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(2 ** 40 * 1000);
    expect(ctx.server.received).toHaveLength(1);
  });
});
