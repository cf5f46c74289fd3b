/** How waits end other than by success: deadlines, aborts, errors during a poll, bad options. */
import { describe, expect, it } from "vitest";
import { AstroConfigError, ForbiddenError } from "../../src/index.js";
import { AstroWaiterError, createWorkflows, describeWorkflowEvent } from "../../src/workflows/index.js";
import { rejection } from "../helpers/client.js";
import { fast, useWaiterServer, workflowClient } from "./waiter-harness.js";

const { ctx, workflows } = useWaiterServer();

describe("timeouts", () => {
  it("times out on a status it does not know, polling no faster than minDelayMs, the last poll just before the deadline", async () => {
    const w = workflows(["SOMETHING_NEW"]);
    const started = performance.now();
    const error = await rejection(
      w.waitUntilDeploymentReady({ deploymentId: "d" }, { maxWaitMs: 600, minDelayMs: 50, maxDelayMs: 200 }),
    );
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ name: "AstroWaiterError", reason: "timeout", lastStatus: "SOMETHING_NEW" });
    // The wait ends near its deadline: not early (the last poll sits just before it, leaving room
    // for twice the longest poll, which a loaded machine stretches), not long after.
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(600 + 1500);
    const times = ctx.server.received.map((r) => r.startedAt);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(45);
    expect(times.length).toBeLessThanOrEqual(600 / 50 + 1);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(250);
  });

  it("never loops fast on garbage answers: non-JSON, a numeric status, an array", async () => {
    const w = workflows(
      [
        { http: 200, raw: "<html>oops" },
        { http: 200, raw: '{"status":42}' },
        { http: 200, raw: "[]" },
      ],
      {
        maxRetries: 0,
      },
    );
    const error = (await rejection(
      w.waitUntilDeploymentReady({ deploymentId: "d" }, { maxWaitMs: 300, minDelayMs: 40, maxDelayMs: 80 }),
    )) as AstroWaiterError;
    expect(error).toMatchObject({ reason: "timeout", lastStatus: undefined });
    expect(w.seq.served()).toBeLessThanOrEqual(300 / 40 + 1);
    expect(w.events[0]).toMatchObject({ outcome: "error", error: "InvalidResponseError" });
    expect(w.events[1]).toMatchObject({ outcome: "pending", status: undefined });
  });

  it("aborts a poll still in flight at the deadline", async () => {
    ctx.server.handle(() => undefined); // never answers
    const w = createWorkflows(workflowClient(ctx.server));
    const started = performance.now();
    const error = await rejection(w.waitUntilDeploymentReady({ deploymentId: "d" }, { maxWaitMs: 200 }));
    expect(error).toMatchObject({ reason: "timeout", attempts: 1 });
    expect(performance.now() - started).toBeLessThan(200 + 1000);
  });

  it("honours a maxWaitMs beyond setTimeout's 2^31-1 ms instead of firing at once", async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    try {
      const w = workflows(["CREATING", "CREATING", "HEALTHY"]);
      await expect(
        w.waitUntilDeploymentReady({ deploymentId: "d" }, { maxWaitMs: 2 ** 31 + 1000, ...fast }),
      ).resolves.toMatchObject({ status: "HEALTHY" });
      await new Promise((r) => setTimeout(r, 20));
      expect(warnings.filter((x) => x.name === "TimeoutOverflowWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  for (const bad of [0, -1, Number.NaN, Infinity, "500", null]) {
    it(`rejects maxWaitMs ${String(bad)} before any request`, async () => {
      const w = workflows(["HEALTHY"]);
      const error = await rejection(
        w.waitUntilDeploymentReady({ deploymentId: "d" }, { maxWaitMs: bad as number }),
      );
      expect(error).toBeInstanceOf(AstroConfigError);
      expect(error.message).toMatch(/maxWaitMs must be a finite number/);
      expect(ctx.server.received).toHaveLength(0);
    });
  }

  it("rejects minDelayMs above maxDelayMs", async () => {
    const error = await rejection(
      workflows(["HEALTHY"]).waitUntilDeploymentReady(
        { deploymentId: "d" },
        { minDelayMs: 50, maxDelayMs: 10 },
      ),
    );
    expect(error).toBeInstanceOf(AstroConfigError);
  });
});

describe("abort", () => {
  it("rejects with reason aborted at once when the signal aborts mid-wait, and polls no more", async () => {
    const w = workflows(["CREATING"]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 150);
    const started = performance.now();
    const error = await rejection(
      w.waitUntilDeploymentReady(
        { deploymentId: "d" },
        { signal: controller.signal, minDelayMs: 40, maxDelayMs: 60 },
      ),
    );
    expect(error).toMatchObject({ name: "AstroWaiterError", reason: "aborted", lastStatus: "CREATING" });
    expect(performance.now() - started).toBeLessThan(150 + 500);
    // A poll sent just before the abort may still reach the server afterwards (the client has
    // written it; the server is slow on a loaded machine): let it land, then watch for more. At
    // minDelayMs 40, a wait that went on polling would add several polls in 300 ms.
    await new Promise((r) => setTimeout(r, 100));
    const polls = w.seq.served();
    await new Promise((r) => setTimeout(r, 300));
    expect(w.seq.served()).toBe(polls);
  });

  it("makes no request with a signal already aborted", async () => {
    const w = workflows(["HEALTHY"]);
    const error = await rejection(
      w.waitUntilDeploymentReady({ deploymentId: "d" }, { signal: AbortSignal.abort() }),
    );
    expect(error).toMatchObject({ reason: "aborted", attempts: 0 });
    expect(ctx.server.received).toHaveLength(0);
  });
});

describe("errors during a poll", () => {
  it("keeps polling through 5xx the client gave up on, and resolves when the API is back", async () => {
    const w = workflows([{ http: 503 }, { http: 502 }, "HEALTHY"], { maxRetries: 0 });
    await expect(w.waitUntilDeploymentReady({ deploymentId: "d" }, fast)).resolves.toMatchObject({
      status: "HEALTHY",
    });
    expect(w.events.map((e) => e.type === "waiter" && e.outcome)).toEqual(["error", "error", "success"]);
  });

  it("times out with the last transient error as cause", async () => {
    const w = workflows([{ http: 500 }], { maxRetries: 0 });
    const error = await rejection(
      w.waitUntilDeploymentReady({ deploymentId: "d" }, { maxWaitMs: 1_000, ...fast }),
    );
    expect(error).toMatchObject({ reason: "timeout" });
    expect(error.cause).toMatchObject({ name: "InternalServerError", status: 500 });
  });

  it("ends at once with reason failed on a 4xx, the API error as cause", async () => {
    const w = workflows([
      "CREATING",
      { http: 403, body: { message: "forbidden", requestId: "r" } },
      "HEALTHY",
    ]);
    const error = await rejection(w.waitUntilDeploymentReady({ deploymentId: "d" }, fast));
    expect(error).toMatchObject({ reason: "failed", lastStatus: "CREATING", attempts: 2 });
    expect(error.cause).toBeInstanceOf(ForbiddenError);
    expect((error as AstroWaiterError).toJSON().cause).toMatchObject({ name: "ForbiddenError", status: 403 });
    expect(w.seq.served()).toBe(2);
  });

  for (const id of ["", "..", "a/b", "x y", undefined, 42]) {
    it(`rejects the id ${JSON.stringify(id)} before any request`, async () => {
      const error = await rejection(
        workflows(["HEALTHY"]).waitUntilDeploymentReady({ deploymentId: id as string }),
      );
      expect(error).toBeInstanceOf(AstroConfigError);
      expect(ctx.server.received).toHaveLength(0);
    });
  }
});

describe("hostile options", () => {
  it("rejects a signal that is not an AbortSignal before any request", async () => {
    const error = await rejection(
      workflows(["HEALTHY"]).waitUntilDeploymentReady({ deploymentId: "d" }, { signal: {} as AbortSignal }),
    );
    expect(error).toBeInstanceOf(AstroConfigError);
    expect(ctx.server.received).toHaveLength(0);
  });

  it("ignores a progress hook that returns a rejected promise: no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", record);
    try {
      const w = workflows(["CREATING", "HEALTHY"]);
      let calls = 0;
      // An async printer that fails, and a thenable whose `then` throws.
      const onProgress = (): unknown =>
        calls++ % 2 === 0
          ? Promise.reject(new Error("broken async printer"))
          : {
              then() {
                throw new Error("broken thenable");
              },
            };
      await expect(
        w.waitUntilDeploymentReady({ deploymentId: "d" }, { ...fast, onProgress: onProgress }),
      ).resolves.toBeDefined();
      expect(calls).toBe(2);
      // Unhandled rejections are reported after a macrotask turn.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", record);
    }
  });

  it("ignores a progress hook that throws, and describes each event in one line for a logger", async () => {
    const w = workflows(["CREATING", "HEALTHY"]);
    const onProgress = () => {
      throw new Error("broken printer");
    };
    await expect(
      w.waitUntilDeploymentReady({ deploymentId: "d" }, { ...fast, onProgress }),
    ).resolves.toBeDefined();
    expect(describeWorkflowEvent(w.events[0]!)).toMatch(
      /^astro: deploymentReady d poll 1: CREATING \(pending, \d+ ms, next poll in \d+ ms\)$/,
    );
    expect(describeWorkflowEvent(w.events[1]!)).toMatch(
      /^astro: deploymentReady d poll 2: HEALTHY \(success, \d+ ms\)$/,
    );
  });
});
