/**
 * A call's own `headers` (openapi-fetch's option, passed through by the path-style methods):
 * a header `fetch` refuses to send (Transfer-Encoding, Keep-Alive, Upgrade, Expect, a Connection
 * other than close/keep-alive) was refused by undici at send time, after the call took a unit of
 * budget: the transport read it as a connection failure, retried it maxRetries times, and a POST
 * failed saying it "may have taken effect" — nothing had been sent. An `Authorization` of the
 * call's own was silently replaced by the client's token. Each is now an `AstroConfigError` before
 * anything is sent (Host and Content-Length too, which fetch replaced or refused); every other
 * header is sent as given, with the client's Authorization. An X-API-Version of the call's own is
 * a v1 minor, as the apiVersion option is checked ("9.9" went out unchecked). Headers given as
 * [name, value] pairs are refused: openapi-fetch sent them as a header named `0`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroConfigError, createAstroClient } from "../../src/index.js";
import { useRecordingServer } from "../helpers/client.js";
import { runs } from "../helpers/depth.js";
import { outcome } from "./outcome.js";

const api = useRecordingServer();
const TOKEN = "call-headers-token-7";

/** A path-style method called with values its types do not allow. */
type Untyped = (path: string, init: Record<string, unknown>) => Promise<unknown>;

/** What fetch manages itself, in any case, and harmless names beside them. */
const names = fc
  .tuple(
    fc.constantFrom(
      "transfer-encoding",
      "keep-alive",
      "upgrade",
      "expect",
      "connection",
      "authorization",
      "x-trace-id",
      "accept-language",
      "host",
      "content-length",
      "x-api-version",
    ),
    fc.boolean(),
  )
  .map(([name, upper]) => (upper ? name.toUpperCase() : name));
const values = fc.constantFrom(
  "1.0",
  "1.2",
  "9.9",
  "latest",
  "close",
  "keep-alive",
  "chunked",
  "100-continue",
  "websocket",
  "Bearer other",
  "x",
);

/** Whether fetch refuses to send `name: value`, or the client would replace it. */
function refused(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (lower === "connection") return !["close", "keep-alive"].includes(value.toLowerCase());
  if (lower === "x-api-version") return !/^1\.(0|[1-9]\d{0,3})$/.test(value);
  return [
    "transfer-encoding",
    "keep-alive",
    "upgrade",
    "expect",
    "authorization",
    "host",
    "content-length",
  ].includes(lower);
}

/** Retries quick: before the fix, a refused header was retried as a connection failure. */
const client = () =>
  createAstroClient({
    token: TOKEN,
    organizationId: "o",
    baseUrl: api.server.url,
    throttle: false,
    maxRetries: 2,
    initialDelayMs: 1,
    maxDelayMs: 2,
  });

describe("a call's own headers", () => {
  it("are sent as given with the client's token, or refused with AstroConfigError before anything is sent", async () => {
    const astro = client();
    await fc.assert(
      fc.asyncProperty(
        names,
        values,
        fc.constantFrom("object", "Headers", "pairs"),
        fc.constantFrom("GET", "POST"),
        async (name, value, form, method) => {
          api.server.received.length = 0;
          const headers =
            form === "object"
              ? { [name]: value }
              : form === "Headers"
                ? new Headers({ [name]: value })
                : [[name, value]];
          const call =
            method === "GET"
              ? () => (astro.GET as Untyped)("/organizations/{organizationId}", { headers })
              : () =>
                  (astro.POST as Untyped)("/organizations/{organizationId}/workspaces", {
                    headers,
                    body: { name: "w" },
                  });
          const error = await outcome(call);
          if (form === "pairs" || refused(name, value)) {
            expect(error).toBeInstanceOf(AstroConfigError);
            expect((error as Error).message).toContain(form === "pairs" ? "pairs" : name.toLowerCase());
            expect(api.server.received).toHaveLength(0);
            return;
          }
          expect(error).toBeUndefined();
          expect(api.server.received).toHaveLength(1);
          const received = api.server.received[0]!.headers;
          expect(received.authorization).toBe(`Bearer ${TOKEN}`);
          // As given (fetch may add to Connection; the others it keeps).
          if (name.toLowerCase() !== "connection") expect(received[name.toLowerCase()]).toBe(value);
        },
      ),
      { numRuns: runs(150) },
    );
  });

  it("headers are read once: a getter's later answer is not what goes out", async () => {
    const astro = client();
    api.server.received.length = 0;
    let reads = 0;
    const init = {
      get headers() {
        return reads++ === 0 ? { "x-api-version": "1.2" } : { "x-api-version": "9.9" };
      },
    };
    await (astro.GET as Untyped)("/organizations/{organizationId}", init);
    expect(api.server.received[0]!.headers["x-api-version"]).toBe("1.2");
  });

  it("an Authorization left undefined or null in an object of headers is no header at all", async () => {
    const astro = client();
    for (const value of [undefined, null]) {
      await (astro.GET as Untyped)("/organizations/{organizationId}", {
        headers: { authorization: value, "x-trace-id": "t" },
      });
    }
    expect(api.server.received.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${TOKEN}`,
      `Bearer ${TOKEN}`,
    ]);
  });
});
