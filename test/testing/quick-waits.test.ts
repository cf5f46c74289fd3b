/**
 * Waits against the fake take no Astro-sized pauses: the fake's answers carry a poll hint
 * (`x-astro-fake-poll-ms`) the waiters honour from a loopback address only, when the call sets no
 * timing of its own. A consumer's first flow (create, wait, list, delete) needs no option for it.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createAstroClient, type AstroClient, type WaiterEvent } from "../../src/index.js";
import { startAstroFake, type AstroFake } from "../../src/testing/index.js";
import { isLoopback } from "../../src/workflows/host-ranges.js";
import { hintedTiming, MIN_HINTED_DELAY_MS, POLL_HINT_HEADER } from "../../src/workflows/poll-hint.js";
import { WAITER_DEFAULTS } from "../../src/workflows/constants.js";

const fakes: AstroFake[] = [];
const clients: AstroClient[] = [];
afterAll(async () => {
  for (const client of clients) await client.close();
  for (const fake of fakes) await fake.close();
});

async function fakeAndClient(
  options: Parameters<typeof startAstroFake>[0] = {},
  baseUrl = (fake: AstroFake) => fake.url,
  maxRetries?: number,
): Promise<{ fake: AstroFake; astro: AstroClient }> {
  const fake = await startAstroFake(options);
  fakes.push(fake);
  const astro = createAstroClient({
    baseUrl: baseUrl(fake),
    token: fake.token,
    organizationId: fake.organizationId,
    maxRetries,
  });
  clients.push(astro);
  return { fake, astro };
}

async function createDeployment(astro: AstroClient): Promise<string> {
  const { data: workspace } = await astro.createWorkspace({ body: { name: "first-hour" } });
  const { data: deployment } = await astro.createDeployment({
    body: {
      type: "STANDARD",
      workspaceId: workspace.id,
      cloudProvider: "AWS",
      region: "us-east-1",
      name: "a",
    },
  });
  return deployment.id;
}

/** The first poll's event of a wait, then the wait aborted (its next pause is what is asserted). */
async function firstPoll(astro: AstroClient, deploymentId: string): Promise<WaiterEvent<"deploymentReady">> {
  const controller = new AbortController();
  const polls: WaiterEvent<"deploymentReady">[] = [];
  await expect(
    astro.waitUntilDeploymentReady(
      { deploymentId },
      {
        signal: controller.signal,
        onProgress: (e) => {
          polls.push(e);
          controller.abort();
        },
      },
    ),
  ).rejects.toMatchObject({ reason: "aborted" });
  return polls[0]!;
}

describe("a consumer's first flow against a default fake", () => {
  it("creates, waits, lists and deletes with no timing option, pausing only the fake's hint", async () => {
    const began = performance.now();
    const { fake, astro } = await fakeAndClient();
    const deploymentId = await createDeployment(astro);
    const polls: WaiterEvent<"deploymentReady">[] = [];
    const ready = await astro.waitUntilDeploymentReady(
      { deploymentId },
      { onProgress: (e) => polls.push(e) },
    );
    expect(ready.status).toBe("HEALTHY");
    const { data: list } = await astro.listDeployments({});
    expect(list.deployments.map((d) => d.id)).toContain(deploymentId);
    await astro.deleteDeployment({ deploymentId });
    await astro.waitUntilDeleted({ get: "getDeployment", deploymentId });

    // The fake's deployment is HEALTHY on its second read: one pause, of the hint's length.
    expect(polls.map((e) => e.status)).toEqual(["CREATING", "HEALTHY"]);
    const pauses = polls.flatMap((e) => (e.nextPollInMs === undefined ? [] : [e.nextPollInMs]));
    expect(pauses).toEqual([MIN_HINTED_DELAY_MS]);
    expect(fake.requests.filter((r) => r.operationId === "GetDeployment")).toHaveLength(3);
    // Loosely: the goal (< 1 s) is measured in the report, not asserted on a shared machine.
    expect(performance.now() - began).toBeLessThan(5_000);
  });

  it("keeps the pace through a poll that failed (a 5xx the test injected)", async () => {
    const { fake, astro } = await fakeAndClient(
      { lifecycles: { deployment: { afterPolls: 3 } } },
      undefined,
      0,
    );
    const deploymentId = await createDeployment(astro);
    const polls: WaiterEvent<"deploymentReady">[] = [];
    await astro.waitUntilDeploymentReady(
      { deploymentId },
      {
        onProgress: (e) => {
          polls.push(e);
          if (e.attempt === 1) fake.faults.once({ operationId: "GetDeployment", kind: "error", status: 503 });
        },
      },
    );
    expect(polls.map((e) => e.outcome)).toEqual(["pending", "error", "pending", "success"]);
    for (const e of polls.slice(0, -1)) expect(e.nextPollInMs).toBe(MIN_HINTED_DELAY_MS);
  });

  it("keeps the caller's own timing over the hint", async () => {
    const { astro } = await fakeAndClient();
    const deploymentId = await createDeployment(astro);
    const polls: WaiterEvent<"deploymentReady">[] = [];
    await astro.waitUntilDeploymentReady(
      { deploymentId },
      { minDelayMs: 30, maxDelayMs: 40, onProgress: (e) => polls.push(e) },
    );
    expect(polls[0]!.nextPollInMs).toBeGreaterThanOrEqual(30);
  });

  it("a fake started with pollHintMs: false gets Astro's pace", async () => {
    const { fake, astro } = await fakeAndClient({ pollHintMs: false });
    const deploymentId = await createDeployment(astro);
    const first = await firstPoll(astro, deploymentId);
    expect(first.nextPollInMs).toBeGreaterThanOrEqual(WAITER_DEFAULTS.deploymentReady.minDelayMs);
    const answer = await fetch(
      `${fake.url}/v1/organizations/${fake.organizationId}/deployments/${deploymentId}`,
      {
        headers: { authorization: `Bearer ${fake.token}` },
      },
    );
    expect(answer.headers.get(POLL_HINT_HEADER)).toBeNull();
  });
});

describe("pollHintMs", () => {
  it("sets the pause the fake asks for, and refuses what is not a whole number of ms", async () => {
    const { astro } = await fakeAndClient({ pollHintMs: 25 });
    const deploymentId = await createDeployment(astro);
    expect((await firstPoll(astro, deploymentId)).nextPollInMs).toBe(25);
    for (const pollHintMs of [-1, 1.5, Number.NaN, "10", true])
      await expect(startAstroFake({ pollHintMs: pollHintMs as number })).rejects.toThrow(
        /pollHintMs must be/,
      );
  });
});

describe("a hint from elsewhere", () => {
  it("is ignored when the answer does not say it came from loopback", async () => {
    // A fetch that hands back the fake's answer as a Response of its own (as a proxying or
    // instrumenting fetch does) has no `url`: where it came from is unknown, so it stands for any
    // other host (a real one cannot be reached from the tests) and its hint must not count.
    const fake = await startAstroFake();
    fakes.push(fake);
    const astro = createAstroClient({
      baseUrl: fake.url,
      token: fake.token,
      organizationId: fake.organizationId,
      fetch: async (url, init) => {
        const answer = await fetch(url, init);
        return new Response(answer.body, answer);
      },
    });
    clients.push(astro);
    const deploymentId = await createDeployment(astro);
    const first = await firstPoll(astro, deploymentId);
    expect(first.nextPollInMs).toBeGreaterThanOrEqual(WAITER_DEFAULTS.deploymentReady.minDelayMs);
  });

  it("counts only for literal loopback hosts", () => {
    for (const url of [
      "http://127.0.0.1:1/v1",
      "http://127.3.2.1/",
      "http://[::1]:8/",
      "http://localhost:5/",
      "http://api.localhost:5/",
      "http://[::ffff:127.0.0.1]/",
    ])
      expect(isLoopback(url), url).toBe(true);
    for (const url of [
      "https://api.astronomer.io/v1",
      "http://127.0.0.1.example.com/",
      "http://localhost.example.com/",
      "http://[::ffff:10.0.0.1]/",
      "http://10.0.0.1/",
      "http://169.254.169.254/",
      "",
      "not a url",
    ])
      expect(isLoopback(url), url).toBe(false);
    fc.assert(
      fc.property(fc.domain(), (host) => {
        fc.pre(host !== "localhost" && !host.endsWith(".localhost"));
        expect(isLoopback(`https://${host}/v1`)).toBe(false);
      }),
    );
  });

  it("can only shorten the waiter's pace, never below its floor, and never over the caller's timing", () => {
    const timing = fc
      .tuple(
        fc.integer({ min: 1, max: 10 ** 7 }),
        fc.integer({ min: 1, max: 10 ** 7 }),
        fc.integer({ min: 1, max: 10 ** 8 }),
      )
      .map(([a, b, maxWaitMs]) => ({ minDelayMs: Math.min(a, b), maxDelayMs: Math.max(a, b), maxWaitMs }));
    fc.assert(
      fc.property(
        timing,
        fc.integer({ min: MIN_HINTED_DELAY_MS, max: 10 ** 9 }),
        fc.boolean(),
        (t, hint, set) => {
          const paced = hintedTiming(t, hint, set);
          if (set) expect(paced).toEqual(t);
          else {
            expect(paced.maxDelayMs).toBeLessThanOrEqual(t.maxDelayMs);
            expect(paced.minDelayMs).toBeGreaterThanOrEqual(Math.min(MIN_HINTED_DELAY_MS, t.maxDelayMs));
            expect(paced.maxWaitMs).toBe(t.maxWaitMs);
          }
        },
      ),
    );
  });
});
