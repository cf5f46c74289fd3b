/**
 * Binary download memory: `getOrganizationAuditLogs` (application/octet-stream) downloading
 * 200 MB from a local server in another process, the bytes consumed as they arrive (counted and
 * checksummed, as a pipe to a file would). The server's first answer is a 503, so the measured
 * download is a retry: a retried attempt must not buffer either. Reported against a baseline
 * after a full GC: the peak growth of RSS and of the V8 heap, sampled after every chunk, and the
 * throughput. Needs `--expose-gc` (bench/run.ts passes it).
 *
 *   node --expose-gc --import tsx bench/binary-download.ts
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createAstroClient } from "../src/index.js";
import { isMain, runSection } from "./lib/section.js";

export const DOWNLOAD_BYTES = 200 * 1024 * 1024;
const CHUNK = 64 * 1024;

export interface BinaryDownloadResult {
  bytes: number;
  ms: number;
  mbPerSecond: number;
  /** Attempts the server saw for the measured download (2: a 503, then the bytes). */
  attempts: number;
  /** Peak RSS minus the baseline, bytes. */
  peakRssGrowth: number;
  /** Peak `heapUsed` minus the baseline, bytes (garbage not yet collected included). */
  peakHeapGrowth: number;
}

/** The server: the first request of each pair answers 503, the second streams DOWNLOAD_BYTES. */
function serve(): void {
  const chunk = Buffer.alloc(CHUNK, 0xa5);
  let requests = 0;
  const server = createServer((_, res) => {
    requests += 1;
    if (requests % 2 === 1) {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "busy", requestId: `r${requests}` }));
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": DOWNLOAD_BYTES });
    let sent = 0;
    const pump = (): void => {
      while (sent < DOWNLOAD_BYTES) {
        sent += CHUNK;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end();
    };
    pump();
  });
  server.listen(0, "127.0.0.1", () => console.log((server.address() as AddressInfo).port));
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc");
  gc();
  gc();
}

async function startServer(): Promise<{ url: string; close(): void }> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "serve"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise<string>((resolve) => lines.once("line", resolve));
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill() };
}

export async function measureBinaryDownload(): Promise<BinaryDownloadResult> {
  const server = await startServer();
  try {
    let attempts = 0;
    const astro = createAstroClient({
      token: "bench-token",
      baseUrl: server.url,
      organizationId: "org",
      throttle: false,
      initialDelayMs: 1,
      maxDelayMs: 1,
      onEvent: (event) => void (event.type === "request" && attempts++),
    });
    const download = async (sample: () => void): Promise<number> => {
      const { data } = await astro.getOrganizationAuditLogs();
      let bytes = 0;
      let checksum = 0;
      for await (const chunk of data as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        checksum = (checksum + chunk[0]!) | 0;
        sample();
      }
      if (checksum === 0) throw new Error("no bytes");
      return bytes;
    };
    // Warm up: connection, JIT.
    await download(() => {});
    attempts = 0;

    collectGarbage();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const started = performance.now();
    const bytes = await download(() => {
      const now = process.memoryUsage();
      if (now.rss > peakRss) peakRss = now.rss;
      if (now.heapUsed > peakHeap) peakHeap = now.heapUsed;
    });
    const ms = performance.now() - started;
    if (bytes !== DOWNLOAD_BYTES) throw new Error(`downloaded ${bytes} bytes, expected ${DOWNLOAD_BYTES}`);
    await astro.close();
    return {
      bytes,
      ms,
      mbPerSecond: bytes / 1024 / 1024 / (ms / 1000),
      attempts,
      peakRssGrowth: peakRss - base.rss,
      peakHeapGrowth: peakHeap - base.heapUsed,
    };
  } finally {
    server.close();
  }
}

if (isMain(import.meta.url)) {
  if (process.argv[2] === "serve") serve();
  else await runSection("binary download", measureBinaryDownload);
}
