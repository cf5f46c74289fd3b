/**
 * The local API stand-in of the benchmarks, run in its own process (`startBenchServer()`), so that
 * neither its work nor its timestamps share an event loop with the client being measured.
 *
 * - Answers every request at once: `{}` (200), or 204 for DELETE; keeps connections alive.
 * - Records when each request's headers arrived (`performance.timeOrigin + performance.now()`):
 *   `GET /__timeline` returns `[method, path, ms][]` and clears it.
 * - `GET …/deployments?offset=&limit=` serves a list of `PAGINATED_TOTAL` deployments (≈1 KB each).
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const PAGINATED_TOTAL = 10_000;

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

function serve(): void {
  const timeline: [string, string, number][] = [];
  const server = createServer((req, res) => {
    const at = performance.timeOrigin + performance.now();
    const url = new URL(req.url ?? "/", "http://local");
    req.resume();
    req.on("end", () => {
      if (url.pathname === "/__timeline") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(timeline.splice(0)));
        return;
      }
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
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  // Ends with its parent: stdin closes when the parent exits, however it exits.
  process.stdin.on("end", () => process.exit(0)).resume();
}

export interface BenchServer {
  url: string;
  /** The requests received since the last call, as `[method, path, arrival ms]`. */
  timeline(): Promise<[string, string, number][]>;
  close(): Promise<void>;
}

/** Starts the server in a child process and resolves once it listens. */
export async function startBenchServer(): Promise<BenchServer> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--serve"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench server exited (${code})`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^listening (\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
  });
  return {
    url,
    timeline: async () => (await (await fetch(`${url}/__timeline`)).json()) as [string, string, number][],
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin!.end();
      await exited;
    },
  };
}

if (process.argv.includes("--serve")) serve();
