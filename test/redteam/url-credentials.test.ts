/**
 * Credentials written into a base URL (`https://user:secret@host`) are refused, and must not be
 * repeated by the refusal: a URL that also fails to parse (a space, a bad port, a stray bracket)
 * was echoed whole in "is not a valid URL: …", its password included. Checked for the v1
 * `baseUrl`, the v1beta1 `urls`, and the fake's msw handlers' `baseUrl` and `uploadOrigin`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroConfigError, createAstroClient } from "../../src/index.js";
import { createAstroClient as createV1beta1Client } from "../../src/v1beta1/index.js";
import { astroFakeHandlers, type MswModule } from "../../src/testing/index.js";
import { printed } from "../helpers/leaks.js";
import { runs } from "../helpers/depth.js";
import { outcome } from "./outcome.js";

/** Passwords long enough to be told apart from the rest of a message. */
const secrets = fc.stringMatching(/^[A-Za-z0-9!$&'()*+,;=~._-]{10,30}$/).map((s) => `pw${s}`);
const urls = fc
  .tuple(
    fc.constantFrom("https://", "http://", "HTTPS://", "https:", "ftp://", "", "//"),
    fc.constantFrom("user:", "", "a b:", "us%er:"),
    secrets,
    fc.constantFrom("@", "@@", " @", "%40@"),
    fc.constantFrom(
      "h.example",
      "h .example",
      "h.example:99999",
      "[::1",
      "h.example:port",
      "",
      "h.example/v1",
    ),
    fc.constantFrom("", "/", "/a b", "?q", "#f"),
  )
  .map(([scheme, user, secret, at, host, tail]) => ({
    url: `${scheme}${user}${secret}${at}${host}${tail}`,
    secret,
  }));

/** A stand-in for msw's module: only how handlers are declared matters here. */
const msw = {
  http: { all: () => ({}) },
  HttpResponse: class {},
} as unknown as MswModule<object>;

describe("credentials in a base URL", () => {
  it("are refused with AstroConfigError, and no message, stack or JSON of it repeats the password", async () => {
    await fc.assert(
      fc.asyncProperty(
        urls,
        fc.constantFrom("v1", "v1beta1", "msw", "upload"),
        async ({ url, secret }, where) => {
          const error = await outcome(() => {
            if (where === "v1") return createAstroClient({ token: "url-token-1", baseUrl: url });
            if (where === "v1beta1")
              return createV1beta1Client({ token: "url-token-1", urls: { platform: url } });
            return astroFakeHandlers(msw, where === "msw" ? { baseUrl: url } : { uploadOrigin: url });
          });
          expect(error).toBeInstanceOf(AstroConfigError);
          expect(printed(error).filter((text) => text.includes(secret))).toEqual([]);
        },
      ),
      { numRuns: runs(300) },
    );
  });
});
