/**
 * A token function that rotates: a server (or a proxy in front of it) that echoes a token it
 * received before the rotation must not get it into an error, an event or a log line. Redaction
 * looked only for the token of the attempt being answered, so an old token echoed in a later
 * answer (of the same call after a retry, or of a later call) went out as it was.
 */
import type { ServerResponse } from "node:http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroApiError, createAstroClient, type AstroEvent } from "../../src/index.js";
import { useRecordingServer } from "../helpers/client.js";
import { stringsIn, printed } from "../helpers/leaks.js";
import { runs } from "../helpers/depth.js";

const api = useRecordingServer();

/** Tokens as the API accepts them (visible ASCII), distinct and long enough to be redacted anywhere. */
const rotations = fc.uniqueArray(
  fc.stringMatching(/^[\x21-\x7e]{12,40}$/).map((t) => `rt${t}`),
  { minLength: 2, maxLength: 4 },
);

/** How a server repeats what it received: as is, base64 (as in Basic credentials) and percent-encoded. */
const echoes = (token: string) => [token, btoa(token), encodeURIComponent(token)];

/** Answers with every token the server has received so far, in the body and in headers. */
function echoAll(res: ServerResponse, status: number): void {
  const seen = [...new Set(api.server.received.map((r) => String(r.headers.authorization).slice(7)))];
  const all = seen.flatMap(echoes);
  res.writeHead(status, {
    "content-type": "application/json",
    "www-authenticate": `Bearer error="invalid_token", error_description="${all.join(" ")}"`,
    "set-cookie": all.map((form, i) => `t${i}=${encodeURIComponent(form)}`),
    location: `/v1/again?${all.map((form) => `t=${encodeURIComponent(form)}`).join("&")}`,
  });
  res.end(JSON.stringify({ message: `tokens seen: ${all.join(", ")}`, requestId: all.join("") }));
}

describe("a rotated-out token echoed by the server", () => {
  it("is redacted from errors, events and log lines, in the same call after a retry and in later calls", async () => {
    await fc.assert(
      fc.asyncProperty(rotations, fc.integer({ min: 1, max: 3 }), async (tokens, calls) => {
        api.server.received.length = 0;
        let given = 0;
        // A new token at each attempt, the last one kept once the list is used up.
        const token = () => tokens[Math.min(given++, tokens.length - 1)]!;
        // Each call: its first attempt answered 503 (retried), the next with every token seen.
        api.server.handle((_, res) => echoAll(res, api.server.received.length % 2 === 1 ? 503 : 400));
        const events: AstroEvent[] = [];
        const logged: unknown[] = [];
        const astro = createAstroClient({
          token,
          organizationId: "o",
          baseUrl: api.server.url,
          throttle: false,
          maxRetries: 1,
          initialDelayMs: 1,
          maxDelayMs: 2,
          onEvent: (event) => events.push(event),
          logger: {
            debug: (...args: unknown[]) => logged.push(args),
            warn: (...args: unknown[]) => logged.push(args),
          },
        });
        const errors: unknown[] = [];
        for (let call = 0; call < calls; call++) {
          errors.push(await astro.getOrganization({}).catch((error: unknown) => error));
        }
        for (const error of errors) expect(error).toBeInstanceOf(AstroApiError);
        const surfaces = [
          ...stringsIn([errors, events, logged]),
          ...errors.flatMap((error) => printed(error)),
        ];
        const used = tokens.slice(0, Math.min(given, tokens.length));
        for (const form of used.flatMap(echoes)) {
          expect(surfaces.filter((text) => text.includes(form))).toEqual([]);
        }
      }),
      { numRuns: runs(60) },
    );
  });
});
