/**
 * The binary download (GetOrganizationAuditLogs) against a hostile server: an error status with a
 * huge, never-ending or token-echoing body; a 2xx that echoes the token in its headers. The bytes
 * of a 2xx are the caller's; nothing the SDK prints or reports may carry the token, and nothing
 * hangs past the timeout.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { AstroError, type AstroClientOptions, type AstroEvent } from "../../src/index.js";
import { MAX_JSON_LENGTH } from "../../src/errors/server-text.js";
import { rejection, useRecordingServer, v1ClientFor } from "../helpers/client.js";

const TOKEN = "binary-SECRET-token-93be";
const api = useRecordingServer();

function client(events: AstroEvent[], extra: AstroClientOptions = {}) {
  return v1ClientFor(api.server, TOKEN, {
    organizationId: "o",
    maxRetries: 0,
    onEvent: (event) => events.push(event),
    ...extra,
  });
}

const everything = (error: unknown, events: AstroEvent[]) =>
  [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), JSON.stringify(events)].join("\n");

describe("getOrganizationAuditLogs against a hostile server", () => {
  it("a 2xx that echoes the token in its headers: events carry none of it; the bytes arrive untouched", async () => {
    const bytes = Buffer.from(`${TOKEN}\x00\xff binary`, "latin1");
    api.server.handle((_, res) => {
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "x-request-id": TOKEN,
        "x-echo": `Bearer ${TOKEN}`,
      });
      res.end(bytes);
    });
    const events: AstroEvent[] = [];
    const { data } = await client(events).getOrganizationAuditLogs();
    const got = Buffer.from(await new Response(data as ReadableStream).arrayBuffer());
    expect(got.equals(bytes)).toBe(true);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    expect(events.some((e) => e.type === "response")).toBe(true);
  });

  it.each([
    ["a 50 MB error body full of the token", 50 * 1024 * 1024],
    ["a small JSON error echoing the token, escaped", 0],
  ])(
    "%s: a bounded AstroError without the token",
    async (_name, size) => {
      api.server.handle((_, res) => {
        res.writeHead(500, { "content-type": "application/json", "x-request-id": TOKEN });
        if (size === 0) {
          res.end(
            JSON.stringify({
              message: `bad token \u0042earer ${TOKEN.split("").join("")}`,
              requestId: TOKEN,
            }),
          );
          return;
        }
        const chunk = Buffer.from(`${TOKEN} `.repeat(4096));
        let sent = 0;
        const pump = () => {
          while (sent < size) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          res.end();
        };
        res.on("error", () => undefined);
        pump();
      });
      const events: AstroEvent[] = [];
      const error = await rejection(client(events).getOrganizationAuditLogs());
      expect(error).toBeInstanceOf(AstroError);
      const printed = everything(error, events);
      expect(printed).not.toContain(TOKEN);
      expect(JSON.stringify(error).length).toBeLessThanOrEqual(MAX_JSON_LENGTH);
      // eslint-disable-next-line no-control-regex -- ESC is what the message must not carry
      expect(error.message).not.toMatch(/[\r\n\x1b]/);
    },
    30_000,
  );

  it("an error body that never ends: the call ends with the timeout", async () => {
    api.server.handle((_, res) => {
      res.writeHead(503, { "content-type": "text/plain" });
      const timer = setInterval(() => res.write("."), 20);
      res.on("close", () => clearInterval(timer));
    });
    const events: AstroEvent[] = [];
    const started = performance.now();
    const error = await rejection(client(events, { timeoutMs: 500 }).getOrganizationAuditLogs());
    expect(error).toBeInstanceOf(AstroError);
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 20_000);
});
