/**
 * #14 class 4: server-supplied text is bounded and safe to print. Error messages are one line
 * without control characters or terminal escapes; every field copied from the response has a
 * length bound; toJSON() has a size bound.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AstroApiError, createAstroClient, type AstroEvent } from "../../../src/v1beta1/index.js";
import { rejection } from "../../helpers/client.js";
import { startRawServer, type RawServer } from "../../helpers/raw-server.js";
import { runs } from "../../helpers/depth.js";

/** Characters no printed line should contain: C0/C1 controls, DEL, bidi and zero-width formatting. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

let next: { status: string; headers: [string, string][]; body: string } = {
  status: "500 x",
  headers: [],
  body: "",
};
let server: RawServer;
beforeAll(async () => {
  server = await startRawServer(() => {
    const head = [`HTTP/1.1 ${next.status}`, ...next.headers.map(([n, v]) => `${n}: ${v}`)];
    head.push(`Content-Length: ${Buffer.byteLength(next.body, "latin1")}`, "Connection: close");
    return `${head.join("\r\n")}\r\n\r\n${next.body}`;
  });
});
afterAll(() => server.close());

/** Latin-1 text as a hostile server writes it: escapes, controls, bidi overrides, long runs. */
const hostileByte = fc.oneof(
  fc.constantFrom(
    "\x1b[2J",
    "\x1b]0;owned\x07",
    "\x1b[31m",
    "\x9b1m",
    "\x07",
    "\x08",
    "\x85",
    "\x00",
    "\x7f",
    "\t",
    "\xe2\x80\xae",
  ),
  fc.string({ unit: "binary-ascii", maxLength: 8 }).map((s) => s.replace(/[\r\n]/g, "")),
);
const hostileText = (maxRepeat: number) =>
  fc
    .tuple(fc.array(hostileByte, { maxLength: 20 }), fc.integer({ min: 0, max: maxRepeat }))
    .map(([parts, repeat]) => parts.join("") + "y".repeat(repeat));
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const headerSafe = (text: string) => text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, "");

function client(events: AstroEvent[]) {
  return createAstroClient({
    token: "t0ken-for-text-tests",
    urls: { platform: server.url, iam: server.url },
    throttle: false,
    maxRetries: 0,
    onEvent: (e) => events.push(e),
  });
}

describe("server text", () => {
  it("ends up one line, printable and bounded in every error field, event and toJSON()", async () => {
    const statuses = fc.constantFrom(400, 401, 404, 409, 429, 500, 502, 503);
    await fc.assert(
      fc.asyncProperty(
        statuses,
        hostileText(400),
        hostileText(5000),
        hostileText(100_000),
        fc.boolean(),
        async (status, reason, header, body, asJson) => {
          next = {
            status: `${status} ${reason}`,
            headers: [
              ["Content-Type", asJson ? "application/json" : "text/plain"],
              ["X-Request-Id", headerSafe(header)],
              ["X-Other", headerSafe(header)],
            ],
            body: asJson ? JSON.stringify({ message: body, requestId: body }) : body,
          };
          const events: AstroEvent[] = [];
          const error = (await rejection(client(events).platform.GET("/organizations"))) as AstroApiError;
          expect(error).toBeInstanceOf(AstroApiError);
          expect(error.message).not.toMatch(UNSAFE);
          expect(error.message.length).toBeLessThan(1_500);
          for (const field of [error.detail, error.statusText, error.requestId ?? ""])
            expect(field).not.toMatch(UNSAFE);
          expect(error.detail.length).toBeLessThanOrEqual(500 + 40);
          expect(error.statusText.length).toBeLessThanOrEqual(200 + 40);
          expect((error.requestId ?? "").length).toBeLessThanOrEqual(200 + 40);
          for (const [name, value] of Object.entries(error.headers)) {
            expect(name + value).not.toMatch(UNSAFE);
            expect(value.length).toBeLessThanOrEqual(1_000 + 40);
          }
          if (typeof error.body === "string") expect(error.body.length).toBeLessThanOrEqual(64 * 1024);
          expect(JSON.stringify(error).length).toBeLessThanOrEqual(128 * 1024);
          for (const event of events) {
            for (const value of Object.values(event)) {
              if (typeof value === "string") expect(value).not.toMatch(UNSAFE);
            }
          }
        },
      ),
      { numRuns: runs(60) },
    );
  });

  it("keeps toJSON() bounded when every field is at its bound", async () => {
    const big = "h".repeat(900);
    next = {
      status: `400 ${"s".repeat(1000)}`,
      headers: Array.from({ length: 10 }, (_, i) => [`X-H${i}`, big] as [string, string]),
      body: JSON.stringify({
        message: "m".repeat(10_000),
        list: Array.from({ length: 20_000 }, (_, i) => `item ${i}`),
      }),
    };
    const error = await rejection(client([]).platform.GET("/organizations"));
    expect(JSON.stringify(error).length).toBeLessThanOrEqual(128 * 1024);
    expect(error.message.length).toBeLessThan(1_500);
  });
});
