/**
 * #26 classes 2, 3 and 9: the caller's signal and streamed bodies.
 * - 2: every listener the SDK adds to a caller's signal is gone once the call (or its streamed
 *   body) ended — audit-log downloads left one per download.
 * - 3: one signal shared by many concurrent calls (a CLI's Ctrl-C controller) works silently: no
 *   `MaxListenersExceededWarning`, and the signal holds at most one listener of the SDK's.
 * - 9: a download cut mid-body fails with an `AstroConnectionError` naming the request, not
 *   undici's raw `TypeError: terminated`.
 */
import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AstroConnectionError, AstroError, AstroTimeoutError } from "../../../src/index.js";
import { json, useRecordingServer, v1ClientFor } from "../../helpers/client.js";
import { until } from "../../helpers/redis-server.js";

const TOKEN = "signals-streams-token";
const ctx = useRecordingServer();

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  return bytes;
}

const listeners = (signal: AbortSignal) => getEventListeners(signal, "abort").length;

let warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
beforeEach(() => {
  warnings = [];
  process.on("warning", onWarning);
});
afterEach(() => {
  process.off("warning", onWarning);
});

describe("the caller's signal", () => {
  it("holds no listener of the SDK's after downloads read to the end, cancelled, or cut off", async () => {
    let mode: "whole" | "cut" = "whole";
    ctx.server.handle((_, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": 4096 });
      if (mode === "whole") return res.end(Buffer.alloc(4096, 1));
      res.write(Buffer.alloc(1024, 1), () => res.destroy());
    });
    const controller = new AbortController();
    const astro = v1ClientFor(ctx.server, TOKEN, { maxRetries: 0 });
    for (let i = 0; i < 50; i++) {
      const { data } = await astro.getOrganizationAuditLogs({}, { signal: controller.signal });
      expect(await drain(data)).toBe(4096);
    }
    expect(listeners(controller.signal)).toBe(0);
    for (let i = 0; i < 5; i++) {
      const { data } = await astro.getOrganizationAuditLogs({}, { signal: controller.signal });
      await data.cancel();
    }
    expect(listeners(controller.signal)).toBe(0);
    mode = "cut";
    for (let i = 0; i < 5; i++) {
      const { data } = await astro.getOrganizationAuditLogs({}, { signal: controller.signal });
      await drain(data).catch(() => undefined);
    }
    expect(listeners(controller.signal)).toBe(0);
  });

  it("shared by 500 concurrent calls: no warning, at most one listener, none left after", async () => {
    ctx.server.handle((_, res) => setTimeout(() => json(res, 200, {}), 20));
    const controller = new AbortController();
    const astro = v1ClientFor(ctx.server, TOKEN);
    const calls = Array.from({ length: 500 }, () => astro.getSelfUser({}, { signal: controller.signal }));
    // Every call is in flight (or sent) by now: the SDK's listener is one, however many share the signal.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(listeners(controller.signal)).toBeLessThanOrEqual(1);
    await Promise.all(calls);
    expect(listeners(controller.signal)).toBe(0);
    expect(warnings.map((w) => w.name)).not.toContain("MaxListenersExceededWarning");
  });

  it("shared by calls waiting for budget and for retries: silent, and aborting rejects every one", async () => {
    let answered = 0;
    ctx.server.handle((_, res) => (answered++ % 2 === 0 ? json(res, 503, {}) : json(res, 200, {})));
    const controller = new AbortController();
    const astro = v1ClientFor(ctx.server, `${TOKEN}-budget`, {
      throttle: { limits: { get: 5 } },
      maxRetries: 3,
      initialDelayMs: 5_000,
      maxDelayMs: 5_000,
    });
    const calls = Array.from({ length: 40 }, () =>
      astro.getSelfUser({}, { signal: controller.signal }).then(
        () => "done",
        (error: unknown) => error,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(listeners(controller.signal)).toBe(1);
    const reason = new Error("Ctrl-C");
    controller.abort(reason);
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === reason).length + outcomes.filter((o) => o === "done").length).toBe(
      40,
    );
    expect(listeners(controller.signal)).toBe(0);
    expect(warnings.map((w) => w.name)).not.toContain("MaxListenersExceededWarning");
  });
});

describe("a download cut mid-body", () => {
  it("fails the stream with an AstroConnectionError naming the request and the bytes received", async () => {
    ctx.server.handle((_, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": 100_000 });
      res.write(Buffer.alloc(1000, 7), () => res.destroy());
    });
    const { data } = await v1ClientFor(ctx.server, TOKEN).getOrganizationAuditLogs({});
    const error = await drain(data).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(AstroConnectionError);
    expect(error).toBeInstanceOf(AstroError);
    expect(error).toMatchObject({ operationId: "GetOrganizationAuditLogs", method: "GET", attempts: 1 });
    expect((error as Error).message).toMatch(/cut off after 1000 bytes/);
    expect((error as Error).message).not.toContain(TOKEN);
  });
});

describe("a download that stalls mid-body", () => {
  it("fails the stream with an AstroTimeoutError once no byte came for timeoutMs, and closes the connection", async () => {
    let closed = false;
    ctx.server.handle((_, res) => {
      res.on("close", () => (closed = true));
      res.writeHead(200, { "content-type": "application/octet-stream" });
      // 1,000 bytes, then nothing more, and the connection kept open.
      res.write(Buffer.alloc(1000, 7));
    });
    const { data } = await v1ClientFor(ctx.server, TOKEN, { timeoutMs: 300 }).getOrganizationAuditLogs({});
    const error = await drain(data).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(AstroTimeoutError);
    expect(error).toMatchObject({ operationId: "GetOrganizationAuditLogs", method: "GET", attempts: 1 });
    expect((error as Error).message).toMatch(/no byte of the response body within 300 ms, after 1000 bytes/);
    expect((error as Error).message).not.toContain(TOKEN);
    await until(() => closed);
  });

  it("a slow download that never pauses for timeoutMs is read whole, however long it takes in all", async () => {
    ctx.server.handle((_, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      let sent = 0;
      // A chunk every 20 ms against a 1,000 ms timeout: 40 chunks, 800 ms in all at the least.
      const timer = setInterval(() => {
        res.write(Buffer.alloc(100, 1));
        if (++sent === 40) {
          clearInterval(timer);
          res.end();
        }
      }, 20);
    });
    const { data } = await v1ClientFor(ctx.server, TOKEN, { timeoutMs: 1000 }).getOrganizationAuditLogs({});
    expect(await drain(data)).toBe(4000);
  });
});
