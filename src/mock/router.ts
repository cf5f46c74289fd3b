import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback server that routes each request to the server of the document whose path prefix it has. */
export interface MockRouter {
  /** Its base URL, e.g. `http://127.0.0.1:4010`: `/v1/...`, `/platform/v1beta1/...`, `/iam/v1beta1/...` under it. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the router in front of the Prism servers: one base URL for every document served, as
 * the live API has (`https://api.astronomer.io/v1`, `/platform/v1beta1`, `/iam/v1beta1`). Prism
 * serves a document's paths at its root, so the prefix is removed before forwarding; the answer
 * (status, headers such as `sl-violations`, body) is streamed back untouched. A path under no
 * prefix is answered 404 naming the prefixes served.
 */
export async function startMockRouter(
  routes: readonly { prefix: string; target: string }[],
  port: number,
  host: string,
): Promise<MockRouter> {
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? "/";
    const route = routes.find(
      (r) => url === r.prefix || url.startsWith(`${r.prefix}/`) || url.startsWith(`${r.prefix}?`),
    );
    if (!route) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          message: `the mock serves ${routes.map((r) => `${r.prefix}/...`).join(", ")}; nothing at ${url.split("?")[0]}`,
          statusCode: 404,
        }),
      );
      return;
    }
    const target = new URL(route.target);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: url.slice(route.prefix.length) || "/",
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`mock router: ${error.message}`);
    });
    req.pipe(upstream);
  };
  const server = createServer(forward);
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  // A process that forgets close() can still exit.
  server.unref();
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
