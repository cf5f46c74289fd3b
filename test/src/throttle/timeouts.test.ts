/*
 * Issue #14 class 13: the window holds when attempts time out. A request the client gave up on
 * may still reach the server later — here a TCP proxy in front of the recording server holds the
 * bytes of the first connections longer than `timeoutMs` and then delivers them, as a queueing
 * load balancer would. Arrival times are the recording server's.
 */
import { createServer, connect, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor, useRecordingServer } from "../../helpers/client.js";
import { maxInWindow } from "../../helpers/windows.js";

const ctx = useRecordingServer();

/** Forwards to `port`; the bytes of the first `stalled` connections go through `stallMs` late, even after the client left. */
function stallingProxy(
  port: number,
  stalled: number,
  stallMs: number,
): Promise<{ url: string; server: Server }> {
  let connections = 0;
  const server = createServer((client) => {
    const delay = connections++ < stalled ? stallMs : 0;
    const upstream = connect(port, "127.0.0.1");
    const later = (fn: () => void) => (delay ? setTimeout(fn, delay) : fn());
    client.on("data", (chunk) => later(() => upstream.write(chunk)));
    client.on("close", () => later(() => upstream.end()));
    upstream.on("data", (chunk) => {
      if (!client.destroyed) client.write(chunk);
    });
    upstream.on("close", () => client.destroy());
    client.on("error", () => undefined);
    upstream.on("error", () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port: proxyPort } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${proxyPort}`, server });
    }),
  );
}

describe("class 13: the window holds when attempts time out", () => {
  let proxy: { url: string; server: Server };
  beforeAll(async () => {
    proxy = await stallingProxy(Number(new URL(ctx.server.url).port), 3, 1500);
  });
  afterAll(() => new Promise<void>((resolve) => proxy.server.close(() => resolve())));

  it("requests given up on that reach the server 1.2 s later share no window with their retries", async () => {
    const astro = clientFor(ctx.server, {
      token: `timeouts-${process.pid}`,
      urls: { platform: proxy.url, iam: proxy.url },
      timeoutMs: 300,
      throttle: { limits: { get: 3 }, networkDelayMs: "unknown" }, // the strict guarantee asserted below
    });
    const started = performance.now();
    await Promise.all(Array.from({ length: 3 }, () => astro.platform.GET("/organizations")));
    // Wait for the stalled ones to land, in case the retries came first.
    while (ctx.server.received.length < 6 && performance.now() - started < 30_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const arrivals = ctx.server.received.map((r) => r.startedAt);
    expect(arrivals).toHaveLength(6);
    expect(maxInWindow(arrivals)).toBeLessThanOrEqual(3);
  }, 60_000);
});
