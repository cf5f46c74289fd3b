/**
 * `startAstroFake`: the fake served over HTTP on loopback with node:http, so any client —
 * the SDK, `fetch`, curl, another language — talks to it as to Astro.
 */
import type * as NodeHttp from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type * as NodeNet from "node:net";
import { v1FakeModel } from "../../generated/v1-fake-model.js";
import { nodeBuiltin } from "../internal/unbundled-import.js";
import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { checkFakeOptions } from "./option-checks.js";
import { MIN_HINTED_DELAY_MS, POLL_HINT_HEADER } from "../workflows/poll-hint.js";
import type { AstroFakeControls } from "./controls.js";
import type { FakeHttpRequest, FakeHttpResponse } from "./exchange.js";
import { createFakeCore, type FakeCore } from "./fake-api.js";
import type { AstroFakeOptions } from "./options.js";

/** Options of `startAstroFake`: the fake's behaviour, and where it listens. */
export interface StartAstroFakeOptions extends AstroFakeOptions {
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /**
   * The pause between polls the fake asks the SDK's waiters for, in ms, sent on every answer as
   * `x-astro-fake-poll-ms` (default 10, the least a waiter takes). Waiters honour it only from a
   * loopback address and when the call sets no `minDelayMs`/`maxDelayMs`; `false` sends none, so
   * waiters keep Astro's pace (5 s and more between polls).
   */
  pollHintMs?: number | false;
}

/** A running fake: `url` is the base URL to give the client (`createAstroClient({ baseUrl: fake.url })`). */
export interface AstroFake extends AstroFakeControls {
  /** `http://127.0.0.1:<port>`; the API answers under `${url}/v1/…`. */
  readonly url: string;
  /** Stops the server, dropping open connections; resolves when it is closed. Safe to call twice. */
  close(): Promise<void>;
}

/** Bodies above this are refused (413): a test sending more is sending garbage. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** What is read and dropped after a 413, so the client reads the answer; past it the connection is cut. */
const MAX_DRAINED_BYTES = 4 * MAX_BODY_BYTES;

function toRequest(req: IncomingMessage, body: Uint8Array): FakeHttpRequest {
  // Split by hand: `new URL` reads a target starting with `//` as a host, or throws on it.
  const target = req.url ?? "/";
  const at = target.indexOf("?");
  return {
    method: req.method ?? "GET",
    path: at < 0 ? target : target.slice(0, at),
    query: new URLSearchParams(at < 0 ? "" : target.slice(at + 1)),
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    headers: () => {
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
      return out;
    },
    body,
  };
}

function send(res: ServerResponse, response: FakeHttpResponse, hint: Record<string, string>): void {
  if (response.reset) {
    res.socket?.destroy();
    return;
  }
  res.writeHead(response.status, { ...response.headers, ...hint });
  res.end(response.body);
}

/** The poll hint header of every answer (none for `false`), checked before the server starts. */
function pollHintHeader(value: unknown): Record<string, string> {
  if (value === false) return {};
  if (value === undefined) return { [POLL_HINT_HEADER]: String(MIN_HINTED_DELAY_MS) };
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    throw new AstroConfigError(
      `pollHintMs must be a whole number of milliseconds >= 0 or false, got ${describeValue(value)}`,
    );
  return { [POLL_HINT_HEADER]: String(value) };
}

/**
 * Where the fake listens, checked before `listen` (which threw a `RangeError` for a bad port and
 * a `TypeError` for a host that is no string): a port 0–65535, and a host that is an IP address
 * or `localhost` — a name would be looked up in DNS, which a test must not depend on.
 */
function checkListen(port: unknown, host: unknown, isIP: (text: string) => number): void {
  if (
    port !== undefined &&
    !(typeof port === "number" && Number.isInteger(port) && port >= 0 && port <= 65_535)
  )
    throw new AstroConfigError(`port must be a whole number from 0 to 65535, got ${describeValue(port)}`);
  if (host !== undefined && !(typeof host === "string" && (host === "localhost" || isIP(host) !== 0)))
    throw new AstroConfigError(
      `host must be an IP address (or localhost) to listen on, got ${describeValue(host)}`,
    );
}

/**
 * Starts a fake of the Astro API v1 on loopback. Resources live in memory for the life of the
 * fake; `close()` it when done (e.g. in `afterAll`).
 */
export async function startAstroFake(options: StartAstroFakeOptions = {}): Promise<AstroFake> {
  checkFakeOptions(options);
  const hint = pollHintHeader(options.pollHintMs);
  const { isIP } = nodeBuiltin<typeof NodeNet>("node:net", "startAstroFake");
  checkListen(options.port, options.host, isIP);
  let core: FakeCore | undefined;
  const sockets = new Set<Socket>();
  // Taken from the runtime, not imported: the entry's msw handlers then bundle for browsers and workers.
  const { createServer } = nodeBuiltin<typeof NodeHttp>("node:http", "startAstroFake");
  const server = createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (!res.headersSent) {
        // Answered at once, while the client still sends; the rest is read and dropped, so the
        // client gets the 413 rather than a connection reset in the middle of its upload.
        chunks.length = 0;
        res.writeHead(413, { "content-type": "text/plain", connection: "close" }).end("Payload Too Large");
      } else if (size > MAX_DRAINED_BYTES) req.destroy();
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES || !core) return;
      let response: FakeHttpResponse;
      try {
        response = core.handle(toRequest(req, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
      } catch (error) {
        // A bug of the fake: answer like a server error, and say what it was.
        response = { status: 500, headers: { "content-type": "text/plain" }, body: `fake: ${String(error)}` };
      }
      if (!response.delayMs) return send(res, response, hint);
      const timer = setTimeout(() => send(res, response, hint), response.delayMs);
      res.once("close", () => clearTimeout(timer));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  try {
    core = await createFakeCore(v1FakeModel, options, url);
  } catch (error) {
    server.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    ...core.controls,
    url,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
