/**
 * What openapi-fetch builds for a call is handed to the transport unparsed (planned-request.ts):
 * only when `fetch(url, init)` reads it as a built `Request` would. A URL the parser would rewrite
 * or an init it would reject is built at once, so events and errors name the URL that was sent
 * and a request that cannot be built is an `AstroConfigError` with nothing sent.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroConfigError, type AstroEvent } from "../../../src/index.js";
import { PlannedRequest } from "../../../src/transport/planned-request.js";
import { clientFor, fileToken, rejection, useRecordingServer } from "../../helpers/client.js";
import { runs } from "../../helpers/depth.js";

const api = useRecordingServer();

/** What a URL's path and query may hold: printable ASCII, spaces, escapes, dots, a few non-ASCII. */
const urlText = fc
  .array(
    fc.oneof(
      fc.constantFrom("/", "?", "#", "%", "%2e", "%2E", ".", "..", "/./", "/../", "'", " ", "\\", "[", "]"),
      fc.constantFrom("é", "\u00a0", "\u2028", "\t", "\n", "{", "}", "`", "^", "|", '"', "<", ">"),
      fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(""));

describe("PlannedRequest", () => {
  it("keeps a URL unparsed only when a Request would keep it as written", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          "http://127.0.0.1:8080",
          "https://api.astronomer.io/platform/v1beta1",
          "http://[::1]:1",
        ),
        urlText,
        fc.constantFrom("GET", "POST", "DELETE"),
        (base, rest, method) => {
          const url = `${base}/${rest}`;
          const init = { redirect: "manual" as const, method, headers: new Headers() };
          let parsed: string;
          try {
            parsed = new Request(url, init).url;
          } catch {
            expect(() => new PlannedRequest(url, init)).toThrow();
            return;
          }
          const planned = new PlannedRequest(url, init);
          expect(planned.url).toBe(parsed);
          if (planned.built === undefined) expect(url).toBe(parsed);
        },
      ),
      { numRuns: runs(2000) },
    );
  });

  it("builds a Request for an init beyond method, headers and a string body", () => {
    const headers = new Headers();
    const plain = new PlannedRequest("http://h/a", {
      redirect: "manual",
      method: "POST",
      headers,
      body: "{}",
    });
    expect(plain.built).toBeUndefined();
    expect(plain.body).toBe("{}");
    for (const init of [
      { redirect: "manual", method: "POST", headers, body: "{}", cache: "no-store" },
      { redirect: "follow", method: "GET", headers },
      { redirect: "manual", method: "POST", headers, body: new Uint8Array([1]) },
    ] as RequestInit[]) {
      expect(new PlannedRequest("http://h/a", init).built).toBeInstanceOf(Request);
    }
  });
});

describe("calls through a PlannedRequest", () => {
  it("a GET with a body: AstroConfigError, nothing sent", async () => {
    const astro = clientFor(api.server, { throttle: false });
    const error = await rejection(astro.platform.GET("/organizations", { body: { name: "x" } } as never));
    expect(error).toBeInstanceOf(AstroConfigError);
    expect(error.message).toMatch(/could not be built, nothing was sent/);
    expect(api.server.received).toHaveLength(0);
  });

  it("a RequestInit option a Request rejects: AstroConfigError, nothing sent", async () => {
    const astro = clientFor(api.server, { throttle: false });
    const error = await rejection(astro.platform.GET("/organizations", { mode: "navigate" } as never));
    expect(error).toBeInstanceOf(AstroConfigError);
    expect(api.server.received).toHaveLength(0);
  });

  it("a RequestInit option a Request accepts is sent with the call", async () => {
    const astro = clientFor(api.server, { throttle: false });
    await astro.platform.GET("/organizations", { cache: "no-store" } as never);
    expect(api.server.received.map((r) => [r.method, r.url])).toEqual([["GET", "/organizations"]]);
    expect(api.server.received[0]!.headers.authorization).toBe(`Bearer ${fileToken()}`);
  });

  it("a POST sends its JSON body once per attempt, retries included", async () => {
    let calls = 0;
    api.server.handle((_, res) => {
      calls++;
      res.writeHead(calls === 1 ? 429 : 200, { "content-type": "application/json", "retry-after": "0" });
      res.end("{}");
    });
    const astro = clientFor(api.server, { throttle: false });
    await astro.platform.POST("/organizations/{organizationId}/workspaces", {
      params: { path: { organizationId: "o" } },
      body: { name: "w" },
    });
    expect(api.server.received.map((r) => [r.method, r.body, r.headers["content-type"]])).toEqual([
      ["POST", '{"name":"w"}', "application/json"],
      ["POST", '{"name":"w"}', "application/json"],
    ]);
  });

  it("a query the URL parser rewrites: events name the URL as sent", async () => {
    const events: AstroEvent[] = [];
    const astro = clientFor(api.server, { throttle: false, onEvent: (event) => events.push(event) });
    await astro.platform.GET("/organizations", { querySerializer: () => "q=a b'é" });
    const sent = api.server.received[0]!.url;
    expect(sent).toBe("/organizations?q=a%20b%27%C3%A9");
    const request = events.find((event) => event.type === "request");
    expect(request && "url" in request ? request.url : undefined).toBe(`${api.server.url}${sent}`);
  });
});
