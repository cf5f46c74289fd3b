import { createAstroClient, type AstroClient, type AstroClientOptions } from "../../src/v1beta1/index.js";
import {
  createAstroClient as createV1Client,
  type AstroClient as V1Client,
  type AstroClientOptions as V1ClientOptions,
} from "../../src/index.js";
import { relative } from "node:path";
import { afterAll, afterEach, beforeAll, expect, type TestContext } from "vitest";
import { startRecordingServer, type Handler, type RecordingServer } from "./recording-server.js";

/**
 * The token `clientFor` sends when a test gives none: one per test file (`test-token-<path>`).
 * Files share worker processes (vitest.config.ts), and the throttle keeps one budget per token in
 * a process, with what it learned (a 429's backoff, stricter terms): the file before must not pace
 * this one's calls.
 */
export function fileToken(): string {
  const path = expect.getState().testPath;
  return path ? `test-token-${relative(process.cwd(), path).replace(/[^\w.-]+/g, "-")}` : "test-token";
}

/** A client whose both APIs point at a local recording server, with fast retries. */
export function clientFor(server: RecordingServer, options: AstroClientOptions = {}): AstroClient {
  return createAstroClient({
    token: fileToken(),
    urls: { platform: server.url, iam: server.url },
    initialDelayMs: 10,
    maxDelayMs: 40,
    ...options,
  });
}

/**
 * A v1 client (the default entry) pointed at a local recording server, with organization `org`,
 * no throttle and fast retries.
 */
export function v1ClientFor(server: RecordingServer, token: string, options: V1ClientOptions = {}): V1Client {
  return createV1Client({
    token,
    baseUrl: server.url,
    organizationId: "org",
    throttle: false,
    initialDelayMs: 5,
    maxDelayMs: 10,
    ...options,
  });
}

/** Answers JSON with a status. */
export function json(
  res: import("node:http").ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Resolves with what the promise rejected with; fails if it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

/**
 * Registers a recording server for the current test file: started before all tests, closed after,
 * and between tests its log is cleared and its handler reset to `reset`.
 */
export function useRecordingServer(reset: Handler = (_, res) => json(res, 200, {})): {
  server: RecordingServer;
} {
  const holder = {} as { server: RecordingServer };
  beforeAll(async () => {
    holder.server = await startRecordingServer(reset);
  });
  afterAll(() => holder.server.close());
  afterEach(() => {
    holder.server.received.length = 0;
    holder.server.handle(reset);
  });
  return holder;
}

/**
 * A recording server of the test's own, closed when the test ends: for tests that run
 * concurrently (`describe.concurrent`), which cannot share one server's log and handler.
 */
export async function ownRecordingServer(
  context: Pick<TestContext, "onTestFinished">,
  handler: Handler = (_, res) => json(res, 200, {}),
): Promise<RecordingServer> {
  const server = await startRecordingServer(handler);
  context.onTestFinished(() => server.close());
  return server;
}
