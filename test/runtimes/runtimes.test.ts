/**
 * The shared scenario (scenario.ts) on every runtime the README promises: Node, Bun, Deno,
 * workerd (Cloudflare Workers, through Miniflare) and the Vercel Edge runtime, each against the
 * fake on loopback, from a bundle esbuild made with no externals and no warnings.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAstroFake, type AstroFake } from "../../src/testing/index.js";
import { BURST_LIMIT, BURST_SIZE, PAGE_SIZE } from "./scenario.js";
import { runOn, scenarioBundle, type RuntimeName } from "./runners.js";

const RUNTIMES: readonly RuntimeName[] = ["node", "bun", "deno", "workerd", "edge-runtime"];
/** A runtime's start plus the scenario (about a second of it is the burst waiting for budget). */
const RUN_MS = 60_000;

let fake: AstroFake;
let dir: string;

beforeAll(async () => {
  fake = await startAstroFake();
  dir = await mkdtemp(join(tmpdir(), "astro-runtimes-"));
});

afterAll(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each(RUNTIMES)("the shared scenario on %s", (runtime) => {
  it(
    "creates, reads through a 429, queues a burst, paginates, gets NotFoundError for a 404, and aborts",
    async () => {
      const { code, warnings } = await scenarioBundle(runtime);
      expect(warnings.map((warning) => warning.text)).toEqual([]);
      fake.reset();
      fake.faults.once({ operationId: "GetWorkspace", kind: "error", status: 429 });

      const result = await runOn(
        runtime,
        code,
        { baseUrl: fake.url, token: fake.token, organizationId: fake.organizationId },
        dir,
        RUN_MS,
      );

      expect(result.failure).toBeUndefined();
      expect(result.created).toBe("runtime-0");
      expect(result.read).toBe("runtime-0");
      expect(result.retriedStatuses).toEqual([429]);
      // More calls than the budget of a window: the rest wait for it (none of them were sent).
      expect(result.queuedInBurst).toBeGreaterThanOrEqual(BURST_SIZE - BURST_LIMIT);
      expect(result.burst).toBe(BURST_SIZE);
      expect(result.listed).toBe(BURST_SIZE + 1);
      expect(result.pages).toBeGreaterThanOrEqual(Math.ceil((BURST_SIZE + 1) / PAGE_SIZE));
      expect(result.notFound).toEqual({ isNotFoundError: true, isAstroError: true, status: 404 });
      expect(result.aborted.name).toBe("AbortError");

      // What the fake received: the 429 and its retry, and no duplicate create.
      const reads = fake.requests.filter((request) => request.operationId === "GetWorkspace");
      expect(reads.slice(0, 2).map((request) => request.status)).toEqual([429, 200]);
      const creates = fake.requests.filter((request) => request.operationId === "CreateWorkspace");
      expect(creates.map((request) => request.status)).toEqual(Array(BURST_SIZE + 1).fill(200));
    },
    RUN_MS * 2,
  );
});
