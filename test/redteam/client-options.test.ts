/**
 * The v1 client's options as a careless or hostile caller gives them: every value either builds a
 * client whose requests go where and with what the option says, or fails at construction with
 * an `AstroConfigError` (never a TypeError, never a header or path it did not ask for).
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroConfigError, createAstroClient } from "../../src/index.js";
import { useRecordingServer } from "../helpers/client.js";
import { runs } from "../helpers/depth.js";

const TOKEN = "options-token-5d1e";

function build(options: Record<string, unknown>): unknown {
  try {
    return createAstroClient({ token: TOKEN, organizationId: "o", throttle: false, ...options } as never);
  } catch (error) {
    return error;
  }
}

describe("apiVersion", () => {
  it("any value is a 1.N sent as is, 'latest', or an AstroConfigError — never a header with CR/LF or non-ASCII", () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.constantFrom(
        "1.0\r\nX-Injected: y",
        "1.0\n",
        " 1.0",
        "1.0 ",
        "１.０",
        "1.0\u2028",
        "1.00",
        "1.-1",
        "1.1e3",
      ),
      fc.integer().map((n) => `1.${n}`),
      fc.anything(),
    );
    fc.assert(
      fc.property(hostile, (apiVersion) => {
        const result = build({ apiVersion });
        if (result instanceof Error) {
          expect(result).toBeInstanceOf(AstroConfigError);
          expect(result.message).not.toMatch(/[\r\n]/);
          return;
        }
        expect(
          apiVersion === undefined ||
            apiVersion === "latest" ||
            (typeof apiVersion === "string" && /^1\.(0|[1-9]\d*)$/.test(apiVersion)),
        ).toBe(true);
      }),
      { numRuns: runs(500) },
    );
  });
});

describe("baseUrl", () => {
  const api = useRecordingServer();

  it("any string is refused with AstroConfigError or used as an http(s) base without query, fragment or credentials", () => {
    const spelled = fc
      .tuple(
        fc.constantFrom("http", "https", "ftp", "file", "javascript", "data", "ws", "HTTP", " http"),
        fc.constantFrom("://", ":", ":/", ":///"),
        fc.constantFrom("h.example", "user:pw@h.example", "h.example:0", "[::1]", "h.example:99999", ""),
        fc.constantFrom("", "/", "//", "/v1", "/v1/", "/V1//", "/%2e%2e/", "/a/../v1", "/x/./", "/%2F"),
        fc.constantFrom("", "?", "?a=1", "#", "#f", "?#", "%3F", "\r\n", "\t", " "),
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(fc.oneof(spelled, fc.string(), fc.anything()), (baseUrl) => {
        const result = build({ baseUrl });
        if (result instanceof Error) {
          expect(result).toBeInstanceOf(AstroConfigError);
          return;
        }
        const text = inspect(result);
        const used = /v1: (\S+),/.exec(text)?.[1] ?? "";
        const url = new URL(used);
        expect(["http:", "https:"]).toContain(url.protocol);
        expect(url.search + url.hash + url.username + url.password).toBe("");
        expect(url.pathname.endsWith("/v1")).toBe(true);
        expect(url.pathname).not.toMatch(/\/v1\/v1$/i);
        expect(url.pathname).not.toMatch(/\/\/v1$/);
      }),
      { numRuns: runs(500) },
    );
  });

  it("requests go to the base URL's path + /v1/…, whatever trailing slashes it was given", async () => {
    for (const suffix of ["", "/", "///", "/proxy", "/proxy/", "/proxy//"]) {
      api.server.received.length = 0;
      api.server.handle((_, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      });
      const astro = createAstroClient({
        token: TOKEN,
        organizationId: "o",
        throttle: false,
        baseUrl: api.server.url + suffix,
      });
      await astro.getOrganization({});
      const prefix = suffix.includes("proxy") ? "/proxy" : "";
      expect(api.server.received.map((r) => r.url)).toEqual([`${prefix}/v1/organizations/o`]);
      expect(api.server.received[0]!.headers["x-api-version"]).toBe("1.0");
    }
  });
});

describe("printing a client", () => {
  it("util.inspect (hidden, getters), JSON and String of a v1 client show no token, constant or function", async () => {
    const secret = "inspect-SECRET-token-41";
    for (const token of [secret, () => secret]) {
      const client = createAstroClient({ token, organizationId: "o" });
      const printed = [
        inspect(client, { depth: 20, showHidden: true, getters: true }),
        JSON.stringify(client),
        // The client's string form, as a template or a log line would print it.
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- that form is what is checked
        String(client),
      ].join("\n");
      expect(printed).toContain("AstroClient");
      expect(printed).not.toContain(secret);
      await client.close();
    }
  });
});
