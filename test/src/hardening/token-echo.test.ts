/**
 * #14 class 3: the token never leaves the Authorization header, whatever the server echoes and
 * wherever: status text, header names and values, request-id headers (on success too), JSON
 * bodies whose strings are escaped, nested and huge bodies, redirects, every event and log field,
 * `cause` chains, and the token function's own errors.
 */
import type { ServerResponse } from "node:http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AstroConfigError,
  AstroConnectionError,
  createAstroClient,
  type AstroEvent,
} from "../../../src/v1beta1/index.js";
import { clientFor, rejection, useRecordingServer } from "../../helpers/client.js";
import { leaksOf, stringsIn } from "../../helpers/leaks.js";
import type { Received } from "../../helpers/recording-server.js";
import { runs } from "../../helpers/depth.js";

const ctx = useRecordingServer();

/** Tokens as the API accepts them: visible ASCII, quotes and backslashes included. */
const tokens = fc.stringMatching(/^[\x21-\x7e]{12,40}$/).map((t) => `tk${t}`);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

const escapeAll = (text: string) =>
  [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
const nested = (depth: number, leaf: unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { level: value };
  return value;
};

/** Ways a server answers with the token it received somewhere in its answer. */
const placements: Record<string, (token: string, res: ServerResponse) => void> = {
  "status text": (token, res) => {
    res.writeHead(401, `rejected ${token}`, { "content-type": "text/plain" });
    res.end("no");
  },
  "header value": (token, res) => {
    res.writeHead(403, { "x-echo": `Bearer ${token}`, "content-type": "application/json" });
    res.end("{}");
  },
  "header name": (token, res) => {
    res.writeHead(400, HEADER_NAME.test(token) ? { [`x-${token}`]: "1" } : {});
    res.end();
  },
  "percent-encoded header value": (token, res) => {
    res.writeHead(400, { "x-echo": encodeURIComponent(token) });
    res.end();
  },
  "request-id header": (token, res) => {
    res.writeHead(404, { "x-request-id": token, "content-type": "application/json" });
    res.end("{}");
  },
  "JSON message": (token, res) => {
    res.writeHead(401, { "content-type": "application/json" });
    res.end(JSON.stringify({ message: `token ${token} is invalid`, requestId: token }));
  },
  "JSON with every character escaped": (token, res) => {
    res.writeHead(401, { "content-type": "application/json" });
    res.end(`{"message":"${escapeAll(token)}","detail":"${escapeAll(`x ${token}`)}"}`);
  },
  "JSON with / escaped": (token, res) => {
    res.writeHead(422, { "content-type": "application/json" });
    res.end(`{"message":${JSON.stringify(token).replaceAll("/", "\\/")}}`);
  },
  "nested JSON and a key": (token, res) => {
    res.writeHead(409, { "content-type": "application/json" });
    res.end(JSON.stringify({ message: "conflict", [token]: nested(30, { deep: token }) }));
  },
  "JSON nested too deep to walk": (token, res) => {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(`${"[".repeat(5000)}"${token}"${"]".repeat(5000)}`);
  },
  "huge text body": (token, res) => {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end(`${token} ${"x".repeat(200_000)} ${token}`);
  },
  "huge JSON body": (token, res) => {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(
      JSON.stringify({ message: "big", items: Array.from({ length: 4000 }, (_, i) => `${i}:${token}`) }),
    );
  },
  "HTML title": (token, res) => {
    res.writeHead(502, { "content-type": "text/html" });
    res.end(`<html><head><title>Bad gateway for ${token}</title></head></html>`);
  },
  "Prism violations header": (token, res) => {
    res.writeHead(422, {
      "sl-violations": JSON.stringify([{ location: ["header"], message: `bad ${token}` }]),
    });
    res.end();
  },
  "redirect to another origin": (token, res) => {
    res.writeHead(307, { location: `http://127.0.0.1:9/${encodeURIComponent(token)}?t=${token}` });
    res.end();
  },
  "429 with the token in Retry-After and body": (token, res) => {
    res.writeHead(429, { "retry-after": token, "content-type": "text/plain" });
    res.end(token);
  },
};

function tokenOf(request: Received): string {
  return String(request.headers.authorization).replace(/^Bearer /, "");
}

describe("the token never leaves the Authorization header", () => {
  it("whatever the server echoes, wherever (errors, events, log lines)", async () => {
    await fc.assert(
      fc.asyncProperty(tokens, fc.constantFrom(...Object.keys(placements)), async (token, placement) => {
        ctx.server.handle((req, res) => placements[placement]!(tokenOf(req), res));
        const events: AstroEvent[] = [];
        const logged: unknown[] = [];
        const logger = {
          debug: (...args: unknown[]) => logged.push(args),
          warn: (...args: unknown[]) => logged.push(args),
        };
        const astro = clientFor(ctx.server, {
          token,
          throttle: false,
          maxRetries: 1,
          onEvent: (e) => events.push(e),
          logger,
        });
        const error = await rejection(astro.platform.GET("/organizations"));
        expect(ctx.server.received.at(-1)!.headers.authorization).toBe(`Bearer ${token}`);
        expect(leaksOf(error, token)).toEqual([]);
        expect(stringsIn(events).filter((s) => s.includes(token))).toEqual([]);
        expect(stringsIn(logged).filter((s) => s.includes(token))).toEqual([]);
      }),
      { numRuns: runs(120) },
    );
  });

  it("request ids echoing the token are redacted from response events on success, data is untouched", async () => {
    await fc.assert(
      fc.asyncProperty(tokens, async (token) => {
        ctx.server.handle((req, res) => {
          res.writeHead(200, { "x-request-id": tokenOf(req), "content-type": "application/json" });
          res.end(JSON.stringify({ id: "t1", token: tokenOf(req) }));
        });
        const events: AstroEvent[] = [];
        const astro = clientFor(ctx.server, { token, throttle: false, onEvent: (e) => events.push(e) });
        const { data } = await astro.iam.POST("/organizations/{organizationId}/tokens", {
          params: { path: { organizationId: "o" } },
          body: { name: "n", type: "ORGANIZATION" } as never,
        });
        // Success data is the caller's: a token the API returns stays as it is.
        expect((data as { token?: string }).token).toBe(token);
        expect(stringsIn(events).filter((s) => s.includes(token))).toEqual([]);
        expect(events.find((e) => e.type === "response")).toMatchObject({ requestId: "[REDACTED]" });
      }),
      { numRuns: runs(40) },
    );
  });

  it("not in cause chains of a failing fetch, however it fails", async () => {
    const throwers: ((token: string) => unknown)[] = [
      (token) => new Error(`connect failed for ${token}`),
      (token) =>
        new TypeError("fetch failed", {
          cause: Object.assign(new Error(`socket ${token}`), { code: token }),
        }),
      (token) => ({ toString: () => `object ${token}` }),
      (token) => `a string ${token}`,
      (token) => new AggregateError([new Error(token)], `several ${token}`),
    ];
    await fc.assert(
      fc.asyncProperty(tokens, fc.constantFrom(...throwers.keys()), async (token, which) => {
        const astro = createAstroClient({
          token,
          urls: { platform: ctx.server.url, iam: ctx.server.url },
          throttle: false,
          maxRetries: 0,
          fetch: () => Promise.reject(throwers[which]!(token)),
        });
        const error = await rejection(astro.platform.GET("/organizations"));
        expect(error).toBeInstanceOf(AstroConnectionError);
        expect(leaksOf(error, token)).toEqual([]);
      }),
      { numRuns: runs(40) },
    );
  });

  it("not in the error of a token function that fails after it gave the token", async () => {
    ctx.server.handle((_, res) => {
      res.writeHead(503);
      res.end();
    });
    // A thenable whose `then` throws, as its getter or its call, fails as a promise would.
    const ways = fc.constantFrom("throws", "rejects", "then getter throws", "then throws");
    await fc.assert(
      fc.asyncProperty(tokens, ways, async (token, way) => {
        let calls = 0;
        const source = () => {
          if (calls++ === 0) return way === "throws" ? token : Promise.resolve(token);
          const failure = new Error(`could not refresh ${token}`, { cause: new Error(token) });
          if (way === "rejects") return Promise.reject(failure);
          if (way === "then getter throws") {
            return {
              get then() {
                throw failure;
              },
            } as unknown as Promise<string>;
          }
          if (way === "then throws") {
            return {
              then() {
                throw failure;
              },
            } as unknown as Promise<string>;
          }
          throw failure;
        };
        const astro = clientFor(ctx.server, { token: source, throttle: false, maxRetries: 1 });
        const error = await rejection(astro.platform.GET("/organizations"));
        expect(error).toBeInstanceOf(AstroConfigError);
        expect(error.message).toMatch(/options\.token\(\) failed: Error: could not refresh \[REDACTED\]/);
        expect(leaksOf(error, token)).toEqual([]);
      }),
      { numRuns: runs(20) },
    );
  });
});
