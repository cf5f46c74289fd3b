import type { FetchLike } from "../client/config.js";
import type { Outcome } from "./decide.js";
import { parseRetryAfter } from "./retry-after.js";
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
  readonly fetch: FetchLike;
  /**
   * A 2xx body is left unread for the caller to stream (binary responses: bytes untouched, never
   * held in memory). The attempt's timeout then covers the response headers, and the caller's
   * signal keeps aborting the download after the call resolves.
   */
  readonly streamSuccess?: boolean;
}

/** At most this much of an error body is read; the rest is left unread (the connection is closed). */
export const MAX_ERROR_BODY_BYTES = 1024 * 1024;
/** Redirects followed within one attempt. */
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Sends with redirects followed by hand, and only to the same origin: a 307/308 keeps method and
 * body, others are followed for GET and HEAD only. Anything else comes back as the 3xx itself
 * (which the policy reports), so the token in the headers never reaches another origin, whatever
 * the `fetch` in use does with redirects.
 */
async function fetchSameOrigin(request: AttemptRequest, signal: AbortSignal): Promise<Response> {
  let url = request.url;
  for (let hop = 0; ; hop++) {
    const response = await request.fetch(url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
      redirect: "manual",
    });
    if (!REDIRECTS.has(response.status) || hop === MAX_REDIRECTS) return response;
    const location = response.headers.get("location");
    let next: URL;
    try {
      next = new URL(location ?? "", url);
    } catch {
      return response;
    }
    const keepsMethod = response.status === 307 || response.status === 308;
    const sameOrigin = location !== null && next.origin === new URL(url).origin;
    if (!sameOrigin || (!keepsMethod && request.method !== "GET" && request.method !== "HEAD")) {
      return response;
    }
    await response.body?.cancel().catch(() => undefined);
    url = next.href;
  }
}

/** The body of an error response, up to `MAX_ERROR_BODY_BYTES`. */
async function readBounded(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    text += decoder.decode(value, { stream: true });
    if (bytes >= MAX_ERROR_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return text + decoder.decode();
}

/** Aborts an attempt's fetch when its timeout passes (a shared function: no closure per attempt). */
function onTimeout(state: { controller: AbortController; timedOut: boolean }, timeoutMs: number): void {
  state.timedOut = true;
  state.controller.abort(new DOMException(`no response within ${timeoutMs} ms`, "TimeoutError"));
}

/**
 * One attempt: sends (timeout and the caller's signal on one controller, no `AbortSignal.any`),
 * tells the ticket when the server answered, reads the body (a 2xx in full, an error up to a
 * bound), and returns the outcome. Never throws: a failure is an outcome too.
 */
export async function sendAttempt(request: AttemptRequest, ticket: AttemptTicket): Promise<Outcome> {
  const state = { controller: new AbortController(), timedOut: false };
  const timer = setTimeout(onTimeout, request.timeoutMs, state, request.timeoutMs);
  const user = request.signal;
  const onAbort = user && (() => state.controller.abort(user.reason));
  if (user && onAbort) {
    if (user.aborted) onAbort();
    else user.addEventListener("abort", onAbort, { once: true });
  }
  const started = performance.now();
  let streaming = false;
  try {
    // The moment the request leaves: with asserted network bounds the throttle may count from here.
    ticket.sent();
    const response = await fetchSameOrigin(request, state.controller.signal);
    ticket.answered();
    if (response.status === 429) ticket.rateLimited(parseRetryAfter(response.headers.get("retry-after")));
    streaming = response.ok && request.streamSuccess === true;
    const text = streaming ? "" : response.ok ? await response.text() : await readBounded(response);
    return { kind: "response", response, text, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      kind: "failure",
      error,
      timedOut: state.timedOut,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
    // A streamed body still flows: the caller's signal must still be able to stop it.
    if (user && onAbort && !streaming) user.removeEventListener("abort", onAbort);
  }
}
