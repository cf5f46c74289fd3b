/**
 * A same-origin 307 is followed, and the second request is a second arrival at the server: each
 * hop must take budget, or a server that answers every request with a 307 sees the limit six
 * times over (one call = one request + five hops).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAstroClient } from "../../src/index.js";
import { maxInWindow } from "../helpers/windows.js";

const arrivals: { at: number; url: string }[] = [];
let url = "";
const server = createServer((req, res) => {
  arrivals.push({ at: performance.now(), url: req.url ?? "" });
  req.resume();
  // Every answer a redirect within the origin: a loop the client ends after a few hops.
  res.writeHead(307, { location: `/v1/organizations/o/hop-${arrivals.length}` });
  res.end();
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("redirect hops and the rate limit", () => {
  it("no more than the limit arrive in any window when every answer is a same-origin 307", async () => {
    const limit = 4;
    const astro = createAstroClient({
      token: `redirect-budget-${process.pid}-${Date.now()}`,
      organizationId: "o",
      baseUrl: url,
      maxRetries: 0,
      // Strict arrival (the guarantee asserted below); the default may let a window over, answered 429.
      throttle: { limits: { get: limit }, networkDelayMs: "unknown" },
    });
    const calls = Array.from({ length: limit }, () =>
      astro.getOrganization({}).catch((error: unknown) => error),
    );
    const errors = await Promise.all(calls);
    await astro.close();
    for (const error of errors) expect(error).toMatchObject({ status: 307 });
    // The hops were followed (so the budget had something to hold back) and the loop ended.
    expect(arrivals.length).toBeGreaterThan(limit);
    expect(arrivals.length).toBeLessThanOrEqual(limit * 6);
    expect(maxInWindow(arrivals.map((a) => a.at))).toBeLessThanOrEqual(limit);
  }, 30_000);
});
