import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface RawServer {
  url: string;
  /** Requests received (their raw head and body, as latin1). */
  received: string[];
  close(): Promise<void>;
}

/**
 * A TCP server that answers each request with the bytes `respond` returns, exactly as given: for
 * responses `node:http` refuses to write (control characters in the status text, odd headers).
 */
export async function startRawServer(respond: (request: string) => string | Buffer): Promise<RawServer> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let buffered = "";
    socket.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("latin1");
      const end = buffered.indexOf("\r\n\r\n");
      if (end === -1) return;
      const length = Number(/content-length: *(\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      const request = buffered.slice(0, end + 4 + length);
      buffered = buffered.slice(end + 4 + length);
      received.push(request);
      const answer = respond(request);
      socket.end(typeof answer === "string" ? Buffer.from(answer, "latin1") : answer);
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
