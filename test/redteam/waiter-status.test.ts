/**
 * A waiter's events and its error repeat the status the server answered: a hostile server can
 * put anything there — line breaks that forge log lines, escape sequences, a megabyte, the token
 * it was sent. Waiter events, the logger's lines and the waiter's error must show it as one
 * bounded, printable line, without the token (constant or from a token function).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroError, createAstroClient, type AstroEvent } from "../../src/index.js";
import { json, useRecordingServer } from "../helpers/client.js";
import { printed, stringsIn } from "../helpers/leaks.js";
import { runs } from "../helpers/depth.js";
import { outcome } from "./outcome.js";

const api = useRecordingServer();
const TOKEN = "waiter-status-token-0";

/** Statuses a hostile server answers, built around the token it received. */
const statuses = fc
  .tuple(
    fc.constantFrom("HEALTHY", "CREATING", ""),
    fc.constantFrom("\r\nastro: forged line", "\u001b[2J", "\u2028", "\t", ""),
    fc.constantFrom("token", "base64", "escaped", "none"),
    fc.constantFrom(0, 10, 200_000),
  )
  .map(([start, control, echo, padding]) => (token: string) => {
    const shown =
      echo === "token"
        ? token
        : echo === "base64"
          ? btoa(`user:${token}`)
          : echo === "escaped"
            ? encodeURIComponent(token)
            : "";
    return `${start}${control}${shown}${"x".repeat(padding)}`;
  });

describe("the status a waiter reports", () => {
  it("is one bounded printable line without the token, in events, log lines and the error", async () => {
    await fc.assert(
      fc.asyncProperty(statuses, fc.boolean(), async (status, rotating) => {
        api.server.handle((request, res) =>
          json(res, 200, { id: "d", status: status(String(request.headers.authorization).slice(7)) }),
        );
        const events: AstroEvent[] = [];
        // The wait ends after its first poll's event, however long that poll took on a loaded machine.
        const stop = new AbortController();
        const lines: string[] = [];
        const astro = createAstroClient({
          token: rotating ? () => TOKEN : TOKEN,
          organizationId: "o",
          baseUrl: api.server.url,
          throttle: false,
          onEvent: (event) => {
            events.push(event);
            if (event.type === "waiter") stop.abort();
          },
          logger: { debug: (_: unknown, line: string) => lines.push(line) },
        });
        const error = await outcome(() =>
          astro.waitUntilDeploymentReady({ deploymentId: "d" }, { maxWaitMs: 20_000, signal: stop.signal }),
        );
        // Aborted after its first poll, unless that poll read a plain HEALTHY.
        if (error !== undefined) expect(error).toBeInstanceOf(AstroError);
        const waiterEvents = events.filter((event) => event.type === "waiter");
        expect(waiterEvents).toHaveLength(1);
        for (const event of waiterEvents) {
          const seen = String(event.status);
          expect(seen.length).toBeLessThan(300);
          // eslint-disable-next-line no-control-regex -- control characters are what must not be there
          expect(seen).not.toMatch(/[\x00-\x1f\x7f\u2028\u2029]/);
        }
        for (const line of lines) {
          expect(line.length).toBeLessThan(600);
          // eslint-disable-next-line no-control-regex -- control characters are what must not be there
          expect(line).not.toMatch(/[\x00-\x1f\x7f\u2028\u2029]/);
        }
        const surfaces = [...stringsIn([events, lines]), ...printed(error)];
        for (const form of [TOKEN, btoa(`user:${TOKEN}`)])
          expect(surfaces.filter((text) => text.includes(form))).toEqual([]);
      }),
      { numRuns: runs(40) },
    );
  });
});
