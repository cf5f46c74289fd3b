/**
 * The fake (`astro-api-client/testing`): how long `startAstroFake()` takes — the first start in a
 * process (loading ajv included, importing the module not) and later ones — and how many requests
 * per second it answers on loopback: GET of one workspace, a page of 20, and creates, each with 16
 * requests in flight over keep-alive connections from node:http in the same process (so the
 * client's own cost is counted against the fake: the figures are a floor). Rate limits are off,
 * validation on.
 *
 *   npx tsx bench/fake.ts
 */
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { isMain, median, runSection } from "./lib/section.js";

export interface FakeResult {
  /** The first `startAstroFake()` of the process, ms (ajv loaded then). */
  firstStartMs: number;
  /** Median of later starts, ms. */
  startMedianMs: number;
  /** Requests per second by kind of request. */
  requestsPerSecond: Record<"getItem" | "listPage" | "create", number>;
  concurrency: number;
  secondsPerKind: number;
}

const CONCURRENCY = 16;
const STARTS = 15;

/** Sends requests from `next()` with CONCURRENCY in flight for `seconds`; answers per second. */
async function load(
  url: string,
  seconds: number,
  next: () => { method: string; path: string; body?: string },
  expected: number,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const { host, port } = new URL(url);
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const { method, path, body } = next();
      await new Promise<void>((resolve, reject) => {
        const req = request(
          {
            agent,
            host: host.split(":")[0],
            port,
            method,
            path,
            headers: { authorization: "Bearer astro-fake-token", "content-type": "application/json" },
          },
          (res) => {
            if (res.statusCode !== expected) reject(new Error(`${method} ${path}: ${res.statusCode}`));
            res.resume().on("end", resolve);
          },
        );
        req.on("error", reject);
        req.end(body);
      });
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return Math.round(done / elapsed);
}

export async function measureFake(secondsPerKind = 3): Promise<FakeResult> {
  const { startAstroFake } = await import("../src/testing/index.js");
  let started = performance.now();
  const first = await startAstroFake();
  const firstStartMs = performance.now() - started;
  await first.close();
  const starts: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    started = performance.now();
    const fake = await startAstroFake();
    starts.push(performance.now() - started);
    await fake.close();
  }

  const fake = await startAstroFake({ rateLimits: false });
  try {
    const base = `/v1/organizations/${fake.organizationId}`;
    const ws = fake.state.seed(`/organizations/${fake.organizationId}/workspaces`, { name: "bench" });
    for (let i = 0; i < 100; i++)
      fake.state.seed(`/organizations/${fake.organizationId}/workspaces`, { name: `w${i}` });
    // One request of each kind first: the validators are compiled on an operation's first request.
    const getItem = await load(
      fake.url,
      0.2,
      () => ({ method: "GET", path: `${base}/workspaces/${ws.id}` }),
      200,
    ).then(() =>
      load(fake.url, secondsPerKind, () => ({ method: "GET", path: `${base}/workspaces/${ws.id}` }), 200),
    );
    const listPage = await load(
      fake.url,
      secondsPerKind,
      () => ({ method: "GET", path: `${base}/workspaces?limit=20` }),
      200,
    );
    let n = 0;
    const create = await load(
      fake.url,
      secondsPerKind,
      () => ({ method: "POST", path: `${base}/workspaces`, body: JSON.stringify({ name: `c${n++}` }) }),
      200,
    );
    return {
      firstStartMs: Math.round(firstStartMs * 10) / 10,
      startMedianMs: Math.round(median(starts) * 10) / 10,
      requestsPerSecond: { getItem, listPage, create },
      concurrency: CONCURRENCY,
      secondsPerKind,
    };
  } finally {
    await fake.close();
  }
}

if (isMain(import.meta.url)) await runSection("fake", () => measureFake());
