import type { FetchLike } from "../client/config.js";
import { abortReason, whenAborted } from "./abort-fanout.js";
import { readBounded } from "./bounded-body.js";
import { recycleController, takeController } from "./controllers.js";
import { unwatch, watch, type Deadline } from "./deadlines.js";
import type { Outcome } from "./decide.js";
import { parseRetryAfter } from "../errors/retry-after.js";
import { MAX_ERROR_BODY_BYTES, MAX_RESPONSE_BODY_BYTES, REDIRECT_STATUSES } from "./response-limits.js";
import { guardedBody } from "./stream-body.js";
import type { AttemptTicket } from "../throttle/limiter.js";

/** What one attempt sends. The headers already carry the attempt's token. */
export interface AttemptRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  /** The serialised JSON body: a string, which undici never detaches, so retries and redirects can resend it. */
  readonly body: string | undefined;
  readonly timeoutMs: number;
  /** The caller's signal. */
  readonly signal: AbortSignal | undefined;
  /** The caller's `fetch`, or `undefined` for the global one. */
  readonly fetch: FetchLike | undefined;
  /**
   * The `Request` built for a call with options beyond method, headers and body (planned-request.ts),
   * while `url` is still its URL: the global `fetch` is given it (with `headers` being its own
   * headers), so those options reach the server. `undefined` for a plain call and after a redirect.
   */
  readonly built?: Request;
  /**
   * Given for binary responses only: a 2xx body is then left unread for the caller to stream
   * (bytes untouched, never held in memory), and this is the error it fails with when it is cut
   * off after `bytesReceived` bytes. The attempt's timeout then covers the response headers and
   * each wait for the body's next bytes (not the whole download), and the caller's signal keeps
   * aborting the download after the call resolves.
   */
  readonly streamFailure?: (error: unknown, bytesReceived: number) => unknown;
}

/**
 * Where the client follows a redirect itself: same origin, and the method may be kept (307/308
 * keep method and body, others are followed for GET and HEAD only). `undefined` for anything
 * else, which comes back to the caller as the 3xx itself (the policy reports it), so the token in
 * the headers never reaches another origin, whatever the `fetch` in use does with redirects.
 * The call follows it as a new attempt, with a unit of budget of its own: each hop is another
 * arrival at the server.
 */
export function redirectTarget(response: Response, from: string, method: string): URL | undefined {
  if (!REDIRECT_STATUSES.has(response.status)) return undefined;
  const location = response.headers.get("location");
  if (location === null) return undefined;
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    return undefined;
  }
  const keepsMethod = response.status === 307 || response.status === 308;
  if (next.origin !== new URL(from).origin) return undefined;
  return keepsMethod || method === "GET" || method === "HEAD" ? next : undefined;
}

function send(request: AttemptRequest, signal: AbortSignal): Promise<Response> {
  if (request.built && !request.fetch) {
    // Built with `redirect: "manual"` (src/operations/api-client.ts). The body is given again as
    // the string read once (the built Request's own stream is spent), so every attempt can send
    // it; a body-less request is given the signal alone, the smallest init undici copies.
    return globalThis.fetch(
      request.built,
      request.body === undefined ? { signal } : { body: request.body, signal },
    );
  }
  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal,
    redirect: "manual",
  };
  return request.fetch ? request.fetch(request.url, init) : globalThis.fetch(request.url, init);
}

/**
 * Whether a 2xx body can be read at once (`text()`, the fast path of every call): its declared
 * length is within the bound and it is not compressed (`content-length` counts the bytes on the
 * wire, which gzip multiplies). Any other is counted as it arrives.
 */
function declaredWithinBound(headers: Headers): boolean {
  const length = headers.get("content-length");
  return length !== null && Number(length) <= MAX_RESPONSE_BODY_BYTES && !headers.has("content-encoding");
}

/**
 * Hands the caller a guarded body (`guardedBody`) as `response.body` itself, so the data and the
 * response's body stay one stream: an own property over the prototype's getter.
 */
function streamed(response: Response, request: AttemptRequest, end: () => void): void {
  const user = request.signal;
  const body = guardedBody(
    response.body as ReadableStream<Uint8Array>,
    end,
    (error, bytes) => (user?.aborted ? abortReason(user) : (request.streamFailure?.(error, bytes) ?? error)),
    // The attempt's timeout, between bytes: the whole download may take as long as it needs.
    request.timeoutMs,
  );
  Object.defineProperty(response, "body", { value: body, configurable: true });
}

/** An attempt's timeout: aborts its fetch when it passes. */
class AttemptDeadline implements Deadline {
  readonly controller = takeController();
  readonly at: number;
  timedOut = false;

  constructor(private readonly timeoutMs: number) {
    this.at = performance.now() + timeoutMs;
  }

  expire(): void {
    this.timedOut = true;
    this.controller.abort(new DOMException(`no response within ${this.timeoutMs} ms`, "TimeoutError"));
  }
}

/**
 * One attempt: sends (timeout and the caller's signal on one controller, no `AbortSignal.any`),
 * tells the ticket when the server answered, reads the body (a 2xx in full, an error up to a
 * bound), and returns the outcome. Never throws: a failure is an outcome too.
 */
export async function sendAttempt(request: AttemptRequest, ticket: AttemptTicket): Promise<Outcome> {
  const state = new AttemptDeadline(request.timeoutMs);
  watch(state);
  const user = request.signal;
  if (user?.aborted) state.controller.abort(abortReason(user));
  // One SDK listener per caller signal, however many calls share it (abort-fanout.ts).
  const stop =
    user && !user.aborted ? whenAborted(user, () => state.controller.abort(abortReason(user))) : undefined;
  const started = performance.now();
  let streaming = false;
  let read = false;
  try {
    // The moment the request leaves: with asserted network bounds the throttle may count from here.
    ticket.sent();
    const response = await send(request, state.controller.signal);
    ticket.answered();
    if (response.status === 429) ticket.rateLimited(parseRetryAfter(response.headers.get("retry-after")));
    streaming = response.ok && request.streamFailure !== undefined && response.body !== null;
    if (streaming) streamed(response, request, () => stop?.());
    let text = "";
    let cut = false;
    if (streaming) {
      // The body is the caller's to read.
    } else if (response.ok && declaredWithinBound(response.headers)) text = await response.text();
    else
      ({ text, cut } = await readBounded(
        response,
        response.ok ? MAX_RESPONSE_BODY_BYTES : MAX_ERROR_BODY_BYTES,
      ));
    read = !streaming;
    return { kind: "response", response, text, cut, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    // Refused or unresolvable: nothing reached the server, so its unit need not be held.
    const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN") ticket.unsent();
    return {
      kind: "failure",
      error,
      timedOut: state.timedOut,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    unwatch(state);
    // A streamed body still flows: the caller's signal must still be able to stop it, until it ends.
    if (!streaming) stop?.();
    // The global fetch is done with the signal once the body is read; a caller's fetch may not be.
    if (read && !request.fetch) recycleController(state.controller);
  }
}
