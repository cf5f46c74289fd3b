/**
 * The options object of `createAstroClient` (v1 and v1beta1) as a hostile caller builds it: a
 * getter that throws, or one that answers differently at each read (a checked value first, then
 * another). Each option is read once: what was checked is what the client uses, and a getter
 * that throws is an `AstroConfigError` naming the option (not the caller's own exception, whose
 * message may hold the token).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroConfigError, createAstroClient } from "../../src/index.js";
import { createAstroClient as createV1beta1Client } from "../../src/v1beta1/index.js";
import { OPTION_NAMES } from "../../src/client/config.js";
import { useRecordingServer } from "../helpers/client.js";
import { runs } from "../helpers/depth.js";
import { outcome } from "./outcome.js";

const api = useRecordingServer();
const TOKEN = "option-reads-token-3";

/** `target`, with `name` a getter that throws (mentioning the token, as a careless one would). */
function withThrowingGetter<T extends object>(target: T, name: string): T {
  Object.defineProperty(target, name, {
    enumerable: true,
    get() {
      throw new Error(`no ${name} for ${TOKEN}`);
    },
  });
  return target;
}

/** The options, with `name` a getter that throws. */
function throwingAt(name: string, v1: boolean): Record<string, unknown> {
  return withThrowingGetter<Record<string, unknown>>(
    v1
      ? { token: TOKEN, organizationId: "o", baseUrl: api.server.url }
      : { token: TOKEN, urls: { platform: api.server.url, iam: api.server.url } },
    name,
  );
}

describe("options read once", () => {
  it("a getter that throws is an AstroConfigError naming the option, without the caller's message", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPTION_NAMES), fc.boolean(), async (name, v1) => {
        const options = throwingAt(name, v1);
        // The object itself: a spread would call the getter here.
        const error = await outcome(() => (v1 ? createAstroClient(options) : createV1beta1Client(options)));
        expect(error).toBeInstanceOf(AstroConfigError);
        expect((error as Error).message).toContain(`options.${name}`);
        expect((error as Error).message).not.toContain(TOKEN);
      }),
      { numRuns: runs(60) },
    );
  });

  it("a getter of throttle or urls that throws is an AstroConfigError naming it", async () => {
    const nested: [string, string][] = [
      ...["limits", "marginMs", "networkDelayMs", "redis", "prefix", "onRedisError"].map(
        (field): [string, string] => ["throttle", field],
      ),
      ["urls", "platform"],
      ["urls", "iam"],
    ];
    for (const [option, field] of nested) {
      const inner = withThrowingGetter({}, field);
      const error = await outcome(() =>
        option === "urls"
          ? createV1beta1Client({ token: TOKEN, urls: inner })
          : createAstroClient({ token: TOKEN, throttle: inner }),
      );
      expect(error).toBeInstanceOf(AstroConfigError);
      expect((error as Error).message).toContain(`options.${option}.${field}`);
      expect((error as Error).message).not.toContain(TOKEN);
    }
  });

  it("a getter of throttle's own objects (limits, networkDelayMs, redis) that throws is an AstroConfigError naming it", async () => {
    const deeper: [string, string][] = [
      ...["get", "post", "delete"].map((field): [string, string] => ["limits", field]),
      ["networkDelayMs", "min"],
      ["networkDelayMs", "max"],
      ...["url", "client", "timeoutMs", "keyTtlMs", "reclaimAfterMs"].map((field): [string, string] => [
        "redis",
        field,
      ]),
    ];
    for (const [option, field] of deeper) {
      const inner = withThrowingGetter({}, field);
      const error = await outcome(() => createAstroClient({ token: TOKEN, throttle: { [option]: inner } }));
      expect(error).toBeInstanceOf(AstroConfigError);
      expect((error as Error).message).toContain(`options.throttle.${option}.${field}`);
      expect((error as Error).message).not.toContain(TOKEN);
    }
  });

  it("a getter that answers a checked value first and another later: the client uses the first", async () => {
    const sent: string[] = [];
    const own = (url: string, init: RequestInit) => {
      sent.push(url);
      return fetch(url, init);
    };
    const later: Record<string, unknown> = {
      fetch: "not a function",
      baseUrl: "ftp://elsewhere.invalid",
      organizationId: "../admin",
      token: "other token with spaces",
      apiVersion: "9\r\nx: y",
      timeoutMs: -1,
      maxRetries: Number.NaN,
    };
    const options: Record<string, unknown> = { throttle: false };
    const first: Record<string, unknown> = {
      fetch: own,
      baseUrl: api.server.url,
      organizationId: "o",
      token: TOKEN,
      apiVersion: "1.0",
      timeoutMs: 5000,
      maxRetries: 0,
    };
    for (const [name, value] of Object.entries(first)) {
      let reads = 0;
      Object.defineProperty(options, name, {
        enumerable: true,
        get: () => (reads++ === 0 ? value : later[name]),
      });
    }
    // The object itself: a spread would read each getter once, before the client does.
    const astro = createAstroClient(options);
    const { data } = await astro.getOrganization({});
    expect(data).toEqual({});
    expect(sent).toEqual([`${api.server.url}/v1/organizations/o`]);
    expect(api.server.received[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });
});
