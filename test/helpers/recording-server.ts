import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server received it. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** `performance.timeOrigin + performance.now()` when the request's headers arrived. */
  startedAt: number;
}

export type Handler = (request: Received, response: ServerResponse) => unknown;

export interface RecordingServer {
  url: string;
  received: Received[];
  /** Replace the handler between steps of a test. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on a free loopback port that records everything it receives. Tests use it
 * instead of mocking `fetch`, so whatever crosses HTTP (headers, timing, resets) is real.
 */
export async function startRecordingServer(
  handler: Handler = (_, res) => res.end(),
): Promise<RecordingServer> {
  let current = handler;
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const startedAt = performance.timeOrigin + performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const entry: Received = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        startedAt,
      };
      received.push(entry);
      Promise.resolve(current(entry, res)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    handle: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
