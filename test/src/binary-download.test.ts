/**
 * GetOrganizationAuditLogs answers `application/octet-stream`: the client hands over the server's
 * bytes untouched (not decoded, parsed or redacted) as a stream, retries a failed attempt without
 * buffering, and lets the caller's signal stop a download in progress. (Prism cannot serve bytes,
 * so the contract suite checks only this operation's request; the bytes are checked here.)
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import type { AstroClientOptions } from "../../src/index.js";
import { json, useRecordingServer, v1ClientFor } from "../helpers/client.js";

const TOKEN = "binary-test-token";
const ctx = useRecordingServer();
const v1 = (options: AstroClientOptions = {}) => v1ClientFor(ctx.server, TOKEN, options);

async function collect(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe("getOrganizationAuditLogs", () => {
  it("returns the bytes untouched: invalid UTF-8, JSON-looking text and the token's own bytes included", async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"looks":"like json"}\n'),
      Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80]),
      Buffer.from(`echo ${TOKEN} echo`),
      randomBytes(200_000),
    ]);
    ctx.server.handle((_, res) => {
      // Even a lying content type must not make the client parse the body.
      res.writeHead(200, { "content-type": "application/json", "content-length": bytes.length });
      res.end(bytes);
    });
    const { data, response } = await v1().getOrganizationAuditLogs({ startDate: "2026-01-01T00:00:00Z" });
    expect(data).toBeInstanceOf(ReadableStream);
    expect(response.status).toBe(200);
    expect((await collect(data)).equals(bytes)).toBe(true);
    const sent = ctx.server.received[0]!;
    expect(sent.url).toBe("/v1/organizations/org/audit-logs?startDate=2026-01-01T00%3A00%3A00Z");
    expect(sent.headers["x-api-version"]).toBe("1.0");
  });

  it("pipes to a file as the bytes arrive", async () => {
    const bytes = randomBytes(3 * 1024 * 1024);
    ctx.server.handle((_, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      // In pieces, so the stream really streams.
      let offset = 0;
      const next = () => {
        if (offset >= bytes.length) return res.end();
        res.write(bytes.subarray(offset, (offset += 256 * 1024)), next);
      };
      next();
    });
    const dir = await mkdtemp(join(tmpdir(), "astro-audit-"));
    try {
      const { data } = await v1().getOrganizationAuditLogs();
      await pipeline(
        Readable.fromWeb(data as import("node:stream/web").ReadableStream),
        createWriteStream(join(dir, "audit.log")),
      );
      expect((await readFile(join(dir, "audit.log"))).equals(bytes)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("retries a 503 and a reset (a GET is idempotent), then streams the answer of the last attempt", async () => {
    const bytes = randomBytes(100_000);
    let attempt = 0;
    ctx.server.handle((_, res) => {
      attempt += 1;
      if (attempt === 1) return json(res, 503, { message: "busy" });
      if (attempt === 2) return res.socket?.destroy();
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(bytes);
    });
    const { data } = await v1().getOrganizationAuditLogs();
    expect((await collect(data)).equals(bytes)).toBe(true);
    expect(ctx.server.received).toHaveLength(3);
  });

  it("an error answer is still an AstroApiError, read within its bound", async () => {
    ctx.server.handle((_, res) => json(res, 403, { message: "no audit logs for you", requestId: "r403" }));
    await expect(v1().getOrganizationAuditLogs()).rejects.toMatchObject({
      name: "ForbiddenError",
      requestId: "r403",
      operationId: "GetOrganizationAuditLogs",
    });
  });

  it("stops the download when the caller's signal aborts after the call resolved", async () => {
    ctx.server.handle((_, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.write(Buffer.alloc(64 * 1024));
      // …and never ends.
    });
    const controller = new AbortController();
    const { data } = await v1().getOrganizationAuditLogs({}, { signal: controller.signal });
    const reader = data.getReader();
    await reader.read();
    controller.abort(new Error("enough"));
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return "ended";
      })(),
    ).rejects.toThrow();
  });
});
