/**
 * #26 class 5: the strictest limit of every client of a token holds from the first call of any
 * of them. A looser client of the same token that calls first must not put more requests into a
 * window than the strict client allows.
 */
import { describe, expect, it } from "vitest";
import { v1ClientFor, useRecordingServer } from "../../helpers/client.js";
import { maxInWindow } from "../../helpers/windows.js";

const ctx = useRecordingServer();

// Strict arrival: the windows asserted here are its guarantee (the learned default may let one over, answered 429).
describe("strictest limit wins", () => {
  it("from the looser client's first call, when the strict one has not called yet", async () => {
    const token = `strictest-${Date.now()}`;
    const strict = v1ClientFor(ctx.server, token, {
      throttle: { limits: { get: 25 }, networkDelayMs: "unknown" },
    });
    const loose = v1ClientFor(ctx.server, token, {
      throttle: { limits: { get: 40 }, networkDelayMs: "unknown" },
    });
    await Promise.all(Array.from({ length: 40 }, () => loose.getSelfUser()));
    const times = ctx.server.received.map((r) => r.startedAt);
    expect(times).toHaveLength(40);
    expect(maxInWindow(times)).toBeLessThanOrEqual(25);
    expect(strict.stats().get).toEqual({ queued: 0, running: 0 });
  });

  it("and from a strict client built after the looser one's calls began", async () => {
    const token = `strictest-late-${Date.now()}`;
    const loose = v1ClientFor(ctx.server, token, {
      throttle: { limits: { get: 40 }, networkDelayMs: "unknown" },
    });
    const first = Array.from({ length: 10 }, () => loose.getSelfUser());
    v1ClientFor(ctx.server, token, { throttle: { limits: { get: 25 }, networkDelayMs: "unknown" } });
    await Promise.all([...first, ...Array.from({ length: 30 }, () => loose.getSelfUser())]);
    expect(maxInWindow(ctx.server.received.map((r) => r.startedAt))).toBeLessThanOrEqual(25);
  });
});
