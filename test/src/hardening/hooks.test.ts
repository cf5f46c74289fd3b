/**
 * #14 class 2: observability can never change an outcome. An onEvent or logger that throws, or is
 * slow to return, does not fail, retry or delay a call, and its failure is reported once, without
 * the token.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AstroEvent, AstroLogger } from "../../../src/v1beta1/index.js";
import { clientFor, json, useRecordingServer } from "../../helpers/client.js";
import { runs } from "../../helpers/depth.js";

const TOKEN = "hook-SECRET-6c1f0a2b9e";
const ctx = useRecordingServer((_, res) => json(res, 200, { id: "ws-1" }));
const createBody = { params: { path: { organizationId: "o" } }, body: { name: "ws" } };

/** What the SDK reported through process.emitWarning (captured, not printed). */
let warnings: { message: string; code?: string }[] = [];
beforeEach(() => {
  warnings = [];
  vi.spyOn(process, "emitWarning").mockImplementation(((message: string, options?: { code?: string }) => {
    warnings.push({ message, code: options?.code });
  }) as typeof process.emitWarning);
});
afterEach(() => {
  vi.restoreAllMocks();
});

const hookWarnings = () => warnings.filter((w) => w.code === "ASTRO_HOOK_FAILED");
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

type Failure = "throw" | "throw-string" | "reject" | "slow";
/** A hook failing in one of the ways a hook can, on one event type or all; `calls` counts its calls. */
function failingHook(failure: Failure, on: AstroEvent["type"] | "all", calls: { n: number }) {
  return (event: AstroEvent): unknown => {
    calls.n++;
    if (on !== "all" && event.type !== on) return undefined;
    switch (failure) {
      case "throw":
        throw new Error(`hook broke while holding ${TOKEN}`);
      case "throw-string":
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw `a string mentioning ${TOKEN}`;
      case "reject":
        return Promise.reject(new Error(`async hook broke: ${TOKEN}`));
      case "slow":
        return new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  };
}

describe("hooks that throw or are slow", () => {
  it("never fail, retry or delay a create; the failure is reported once, without the token", async () => {
    const failures = fc.constantFrom<Failure>("throw", "throw-string", "reject", "slow");
    const types = fc.constantFrom<AstroEvent["type"] | "all">("request", "response", "all");
    const where = fc.constantFrom("onEvent", "logger.debug", "both");
    await fc.assert(
      fc.asyncProperty(failures, types, where, async (failure, on, place) => {
        warnings = [];
        ctx.server.received.length = 0;
        const calls = { n: 0 };
        const hook = failingHook(failure, on, calls);
        const logger: AstroLogger = {
          debug: (event: unknown) => hook(event as AstroEvent),
          warn: () => undefined,
        };
        const astro = clientFor(ctx.server, {
          token: TOKEN,
          throttle: false,
          ...(place !== "logger.debug" ? { onEvent: hook } : {}),
          ...(place !== "onEvent" ? { logger } : {}),
        });
        const started = performance.now();
        for (let i = 0; i < 3; i++) {
          const { data } = await astro.platform.POST(
            "/organizations/{organizationId}/workspaces",
            createBody,
          );
          expect(data.id).toBe("ws-1");
        }
        // A slow hook is never awaited: three calls take far less than one hook's 5 s.
        expect(performance.now() - started).toBeLessThan(2_500);
        expect(ctx.server.received).toHaveLength(3);
        expect(calls.n).toBeGreaterThan(0);
        await settle();
        const reported = hookWarnings();
        if (failure === "slow") expect(reported).toHaveLength(0);
        else expect(reported).toHaveLength(place === "both" ? 2 : 1);
        for (const warning of reported) {
          expect(warning.message).not.toContain(TOKEN);
          expect(warning.message).toMatch(/later failures of this hook are not reported/);
        }
      }),
      { numRuns: runs(24) },
    );
  });

  it("a logger whose methods are getters that throw still leaves the call alone", async () => {
    const logger = Object.defineProperty({}, "debug", {
      get() {
        throw new Error("no debug today");
      },
    }) as AstroLogger;
    const astro = clientFor(ctx.server, { token: TOKEN, throttle: false, logger });
    const { data } = await astro.platform.POST("/organizations/{organizationId}/workspaces", createBody);
    expect(data.id).toBe("ws-1");
    expect(ctx.server.received).toHaveLength(1);
  });

  it("a hook that throws on retry events does not stop the retry, nor add one", async () => {
    ctx.server.handle((_, res) =>
      json(res, ctx.server.received.length === 1 ? 503 : 200, { organizations: [] }),
    );
    const astro = clientFor(ctx.server, {
      token: TOKEN,
      throttle: false,
      onEvent: (event) => {
        if (event.type === "retry") throw new Error("no retries please");
      },
    });
    await astro.platform.GET("/organizations");
    expect(ctx.server.received).toHaveLength(2);
  });
});
