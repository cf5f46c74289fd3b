/**
 * The fake (`astro-api-client/testing`): how long `startAstroFake()` takes — the first start in a
 * process (loading ajv included, importing the module not) and later ones — and how many requests
 * per second it answers on loopback: GET of one workspace, a page of 20, and creates, each with 16
 * requests in flight over keep-alive connections from node:http in two worker threads of the same
 * process. Rate limits are off, validation on.
 *
 *   npx tsx bench/fake.ts
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { isMain, median, runSection } from "./lib/section.js";

export interface FakeResult {
  /** The first `startAstroFake()` of the process, ms (ajv loaded then). */
  firstStartMs: number;
  /** Median of later starts, ms. */
  startMedianMs: number;
  /** Requests per second by kind of request. */
  requestsPerSecond: Record<"getItem" | "listPage" | "create", number>;
  /**
   * The same load against a bare node:http server answering a fixed 1 KB JSON body, measured just
   * before: what this machine allows at the moment, so the fake's share of it reads through noise.
   */
  bareServerPerSecond: number;
  concurrency: number;
  secondsPerKind: number;
}

const CONCURRENCY = 16;
const STARTS = 15;

/** A request the load generator sends; `{n}` in the path or body becomes a counter. */
interface LoadRequest {
  method: string;
  path: string;
  body?: string;
}

/**
 * The load generator, run in a worker thread so the fake's event loop has its own: plain
 * JavaScript (workers do not inherit tsx), node:http with keep-alive, CONCURRENCY requests in
 * flight, every answer checked for the expected status.
 */
const LOAD_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { Agent, request } = require("node:http");
const { url, seconds, req, expected, concurrency, prefix } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const { hostname, port } = new URL(url);
let done = 0;
let n = 0;
const deadline = performance.now() + seconds * 1000;
const one = () => new Promise((resolve, reject) => {
  const id = prefix + String(n++);
  const body = req.body === undefined ? undefined : req.body.replaceAll("{n}", id);
  const r = request({ agent, host: hostname, port, method: req.method, path: req.path.replaceAll("{n}", id),
    headers: { authorization: "Bearer astro-fake-token", "content-type": "application/json" } }, (res) => {
    if (res.statusCode !== expected) reject(new Error(req.method + " " + req.path + ": " + res.statusCode));
    res.resume().on("end", resolve);
  });
  r.on("error", reject);
  r.end(body);
});
const worker = async () => { while (performance.now() < deadline) { await one(); done += 1; } };
const started = performance.now();
Promise.all(Array.from({ length: concurrency }, worker)).then(
  () => { agent.destroy(); parentPort.postMessage({ perSecond: Math.round(done / ((performance.now() - started) / 1000)) }); },
  (error) => parentPort.postMessage({ error: String(error) }),
);
`;

/** Load generators: two threads, so the client side is not what limits a fake that has CPU to spare. */
const WORKERS = 2;

/** Sends `req` with CONCURRENCY requests in flight (over WORKERS threads) for `seconds`; answers per second. */
async function load(url: string, seconds: number, req: LoadRequest, expected: number): Promise<number> {
  const one = (index: number) =>
    new Promise<number>((resolve, reject) => {
      const worker = new Worker(LOAD_WORKER, {
        eval: true,
        workerData: { url, seconds, req, expected, concurrency: CONCURRENCY / WORKERS, prefix: `w${index}-` },
      });
      worker.once("message", (m: { perSecond?: number; error?: string }) =>
        m.error === undefined ? resolve(m.perSecond!) : reject(new Error(m.error)),
      );
      worker.once("error", reject);
    });
  const rates = await Promise.all(Array.from({ length: WORKERS }, (_, i) => one(i)));
  return rates.reduce((a, b) => a + b, 0);
}

/** The bare server's rate under the same load generator. */
async function measureBareServer(seconds: number): Promise<number> {
  const body = JSON.stringify({ padding: "x".repeat(1000) });
  const server = createServer({ keepAlive: true }, (req, res) => {
    req.resume().on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await load(`http://127.0.0.1:${port}`, seconds, { method: "GET", path: "/" }, 200);
  } finally {
    server.closeAllConnections();
    server.close();
  }
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
    const bareServerPerSecond = await measureBareServer(secondsPerKind);
    const item: LoadRequest = { method: "GET", path: `${base}/workspaces/${String(ws.id)}` };
    // A short run first: the validators are compiled on an operation's first request.
    await load(fake.url, 0.2, item, 200);
    const getItem = await load(fake.url, secondsPerKind, item, 200);
    const listPage = await load(
      fake.url,
      secondsPerKind,
      { method: "GET", path: `${base}/workspaces?limit=20` },
      200,
    );
    const create = await load(
      fake.url,
      secondsPerKind,
      { method: "POST", path: `${base}/workspaces`, body: JSON.stringify({ name: "c{n}" }) },
      200,
    );
    return {
      firstStartMs: Math.round(firstStartMs * 10) / 10,
      startMedianMs: Math.round(median(starts) * 10) / 10,
      requestsPerSecond: { getItem, listPage, create },
      bareServerPerSecond,
      concurrency: CONCURRENCY,
      secondsPerKind,
    };
  } finally {
    await fake.close();
  }
}

if (isMain(import.meta.url))
  await runSection("fake", () => measureFake(Number(process.env.FAKE_BENCH_SECONDS ?? 3)));
