/**
 * The local API stand-in of the benchmarks, run in its own process (`startBenchServer()`), so that
 * neither its work nor its timestamps share an event loop with the client being measured.
 *
 * - Answers every request at once: `{}` (200), or 204 for DELETE; keeps connections alive.
 * - Records when each request's headers arrived (`performance.timeOrigin + performance.now()`):
 *   `GET /__timeline` returns `[method, path, ms, refused?][]` and clears it.
 * - `GET …/deployments?offset=&limit=` serves a list of `PAGINATED_TOTAL` deployments (≈1 KB each).
 * - With a `NetworkModel` (the far-API sections), each request is taken to reach the "server" a
 *   random one-way delay after it arrived on loopback, is processed for a random time, and its
 *   response takes another random delay back; the timeline records the modelled arrival
 *   (loopback arrival + delay, computed, not read from a late timer), and a per-method server
 *   limit answers 429 with `Retry-After: 1` beyond it.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { ArrivalLimit } from "../../test/helpers/windows.js";

export const PAGINATED_TOTAL = 10_000;

/** A range of milliseconds, drawn uniformly. */
export type Range = [number, number];

/** How far and how slow the modelled API is, per HTTP method. */
export interface NetworkModel {
  upMs: Range;
  downMs: Range;
  processingMs: Partial<Record<string, Range>>;
  /** The server's own limit per 1,000 ms of arrivals, per method; beyond it, 429. */
  serverLimit?: Partial<Record<string, number>>;
}

const draw = ([min, max]: Range): number => min + Math.random() * (max - min);

/** A deployment as big as real ones (≈1 KB of JSON), distinct per index. */
export function deployment(i: number): Record<string, unknown> {
  const id = `cldeploy${String(i).padStart(17, "0")}`;
  return {
    id,
    name: `deployment-${i}`,
    description: "x".repeat(200),
    status: "HEALTHY",
    organizationId: "clorg000000000000000000000",
    workspaceId: "clwks000000000000000000000",
    namespace: `space-${i}`,
    runtimeVersion: "12.1.0",
    airflowVersion: "2.10.2",
    astroRuntimeVersion: "12.1.0",
    imageRepository: `images.astronomer.cloud/${id}`,
    imageTag: "deploy-2024-07-31T00-00",
    isCicdEnforced: false,
    isDagDeployEnabled: true,
    schedulerCpu: "1",
    schedulerMemory: "2Gi",
    schedulerReplicas: 1,
    webServerCpu: "0.5",
    webServerMemory: "1Gi",
    webServerUrl: `https://example.astronomer.run/${id}`,
    webServerIngressHostname: "example.astronomer.run",
    webServerAirflowApiUrl: `https://example.astronomer.run/${id}/api/v1`,
    createdAt: "2024-07-31T00:00:00Z",
    updatedAt: "2024-07-31T00:00:00Z",
    createdBy: { id: "cluser000000000000000000000" },
    updatedBy: { id: "cluser000000000000000000000" },
  };
}

function serve(model: NetworkModel | undefined): void {
  const timeline: TimelineEntry[] = [];
  /** The limit of each method, for `serverLimit`. */
  const limits: Record<string, ArrivalLimit> = {};
  const server = createServer((req, res) => {
    const received = performance.timeOrigin + performance.now();
    const up = model ? draw(model.upMs) : 0;
    const at = received + up;
    const url = new URL(req.url ?? "/", "http://local");
    req.resume();
    req.on("end", () => {
      if (url.pathname === "/__timeline") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(timeline.splice(0)));
        return;
      }
      if (model) return modelled(req.method ?? "", url.pathname, at, up, res);
      timeline.push([req.method ?? "", url.pathname, at]);
      if (req.method === "GET" && url.pathname.endsWith("/deployments") && url.searchParams.has("offset")) {
        const offset = Number(url.searchParams.get("offset"));
        const limit = Number(url.searchParams.get("limit") ?? 20);
        const end = Math.min(PAGINATED_TOTAL, offset + limit);
        const deployments = [];
        for (let i = offset; i < end; i++) deployments.push(deployment(i));
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ deployments, offset, limit, totalCount: PAGINATED_TOTAL }));
        return;
      }
      if (req.method === "DELETE") {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  /** Decides at the modelled arrival; answers after processing and the way back. */
  function modelled(
    method: string,
    path: string,
    at: number,
    up: number,
    res: import("node:http").ServerResponse,
  ) {
    const m = model!;
    setTimeout(() => {
      // The runs' warm-up requests (raw fetch, to open connections) do not count against the limit.
      const limit = path === "/warm-up" ? undefined : m.serverLimit?.[method];
      const refused = limit !== undefined && !(limits[method] ??= new ArrivalLimit(limit)).admit(at);
      timeline.push(refused ? [method, path, at, true] : [method, path, at]);
      const range = m.processingMs[method] ?? [0, 0];
      setTimeout(
        () => {
          if (refused) {
            res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
            res.end('{"message":"rate limited"}');
          } else if (method === "DELETE") {
            res.writeHead(204);
            res.end();
          } else {
            res.writeHead(200, { "content-type": "application/json" });
            res.end("{}");
          }
        },
        (refused ? 0 : draw(range)) + draw(m.downMs),
      );
    }, up);
  }

  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  // Ends with its parent: stdin closes when the parent exits, however it exits.
  process.stdin.on("end", () => process.exit(0)).resume();
}

/** A request the server received: method, path, arrival (ms), and `true` when answered 429. */
export type TimelineEntry = [string, string, number, true?];

export interface BenchServer {
  url: string;
  /** The requests received since the last call. */
  timeline(): Promise<TimelineEntry[]>;
  close(): Promise<void>;
}

/** Starts the server in a child process and resolves once it listens. */
export async function startBenchServer(model?: NetworkModel): Promise<BenchServer> {
  const args = [
    "--import",
    "tsx",
    fileURLToPath(import.meta.url),
    "--serve",
    ...(model ? [JSON.stringify(model)] : []),
  ];
  const child = spawn(process.execPath, args, {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench server exited (${code})`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /^listening (\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
  });
  return {
    url,
    timeline: async () => (await (await fetch(`${url}/__timeline`)).json()) as TimelineEntry[],
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin.end();
      await exited;
    },
  };
}

const serveAt = process.argv.indexOf("--serve");
if (serveAt >= 0) {
  const model = process.argv[serveAt + 1];
  serve(model ? (JSON.parse(model) as NetworkModel) : undefined);
}
