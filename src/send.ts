import type { ApiName, OperationInfo } from "../generated/operations.js";
import { parseErrorBody, requestIdFromHeaders, violationsOf } from "./error-body.js";
import {
  AstroApiError,
  AstroConnectionError,
  AstroTimeoutError,
  InvalidResponseError,
  RateLimitError,
  errorClassFor,
  type ErrorResponseInfo,
  type AstroRequestInfo,
} from "./errors.js";
import type { AstroEvent, EventBase } from "./events.js";
import { parseRetryAfter } from "./retry-after.js";
import { backoffDelay, isRetryableServerStatus, type RetryPolicy } from "./retry.js";
import { methodClass } from "./throttle/limits.js";
import type { AttemptTicket } from "./throttle/limiter.js";
import type { Throttle } from "./throttle/throttle.js";
import { redact, tokenHash } from "./token.js";

/** What one call knows about itself. */
export interface CallContext {
  api: ApiName;
  /** Path template. */
  path: string;
  operation: OperationInfo | undefined;
  retry: RetryPolicy;
  timeoutMs: number;
}

/** What the client shares between calls. */
export interface Transport {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  token: () => Promise<string>;
  throttle: Throttle | undefined;
  /** Identification headers, added to every request. */
  headers: Readonly<Record<string, string>>;
  emit: (event: AstroEvent) => void;
}

/** One attempt's outcome: a response read in full, or the error that stopped it. */
type Attempt =
  | { ok: true; status: number; statusText: string; headers: Headers; text: string; durationMs: number }
  | { ok: false; error: unknown; durationMs: number };

/**
 * Bottleneck takes a few milliseconds (timer hops) to start a job even when budget is free; a
 * shorter wait is that overhead, not waiting for budget, and is not reported as throttling.
 */
const THROTTLE_EVENT_MIN_MS = 20;

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

function sleep(ms: number, signal: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Response headers as a record, with any echo of the token removed. */
function headerRecord(headers: Headers, secret: string): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = redact(value, secret);
  });
  return record;
}

/** Why a non-idempotent call was not retried, in words a person can act on. */
function notRetriedNote(operation: OperationInfo | undefined, method: string): string {
  const name = operation?.operationId ?? `${method} request`;
  const what = operation?.kind === "create" ? "the object may have been created" : "it may have taken effect";
  return `${name} is not idempotent, so it was not retried: ${what}; check before sending it again`;
}

/**
 * Sends one call: for each attempt, waits for throttle budget, sends with auth and a timeout,
 * reads the body, then either returns a response openapi-fetch can parse or decides, by the
 * operation's idempotency, whether to retry or throw a normalised error.
 */
export async function send(request: Request, call: CallContext, transport: Transport): Promise<Response> {
  const method = request.method.toUpperCase();
  const userSignal = request.signal;
  const body = request.body ? await request.arrayBuffer() : undefined;
  const idempotent = call.operation?.idempotent ?? IDEMPOTENT_METHODS.has(method);
  const info: AstroRequestInfo = {
    api: call.api,
    method,
    path: call.path,
    operationId: call.operation?.operationId,
    url: request.url,
    attempts: 0,
  };
  const base = (attempt: number): EventBase => ({
    api: call.api,
    method,
    path: call.path,
    operationId: call.operation?.operationId,
    attempt,
  });
  let ambiguous = false;

  /** Reports an error as an event and hands it back to be thrown. */
  const report = <E extends AstroApiError | AstroConnectionError>(error: E): E => {
    transport.emit({
      ...base(info.attempts),
      type: "error",
      name: error.name,
      message: error.message,
      status: error instanceof AstroApiError ? error.status : undefined,
      requestId: error instanceof AstroApiError ? error.requestId : undefined,
    });
    return error;
  };

  for (let attempt = 1; ; attempt++) {
    info.attempts = attempt;
    const queuedToken = await transport.token();
    let currentToken = queuedToken;
    const queuedAt = performance.now();
    let inline = true;
    const run = async (ticket?: AttemptTicket): Promise<Attempt> => {
      if (ticket && !inline) {
        // The token current when the request is sent, not when it queued (a rotation meanwhile).
        try {
          currentToken = await transport.token();
        } catch (error) {
          ticket.unsent();
          throw error;
        }
        if (currentToken !== queuedToken) await ticket.rekey(tokenHash(currentToken));
      }
      const waitedMs = Math.round(performance.now() - queuedAt);
      if (transport.throttle && waitedMs >= THROTTLE_EVENT_MIN_MS) {
        transport.emit({ ...base(attempt), type: "throttle", methodClass: methodClass(method), waitedMs });
      }
      transport.emit({ ...base(attempt), type: "request", url: request.url });
      const headers = new Headers(request.headers);
      for (const [name, value] of Object.entries(transport.headers)) headers.set(name, value);
      headers.set("authorization", `Bearer ${currentToken}`);
      const timeout = AbortSignal.timeout(call.timeoutMs);
      const signal = AbortSignal.any([userSignal, timeout]);
      const started = performance.now();
      ticket?.sent();
      try {
        const response = await transport.fetch(request.url, {
          method,
          headers,
          body,
          signal,
          redirect: "follow",
        });
        if (response.status === 429)
          ticket?.rateLimited(parseRetryAfter(response.headers.get("retry-after")));
        else ticket?.answered();
        const text = await response.text();
        return {
          ok: true,
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
          text,
          durationMs: Math.round(performance.now() - started),
        };
      } catch (error) {
        // Refused or unresolvable: nothing reached the server, so its unit need not be held.
        const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
        if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN") ticket?.unsent();
        return { ok: false, error, durationMs: Math.round(performance.now() - started) };
      }
    };
    // An attempt that found budget runs inline, with the token just read; one that waited reads it again.
    const pending = transport.throttle
      ? transport.throttle.run(tokenHash(queuedToken), methodClass(method), run, userSignal)
      : run();
    inline = false;
    const result = await pending;
    if (userSignal.aborted) throw userSignal.reason;

    const retryIn = (delayMs: number, reason: string, status?: number) => {
      transport.emit({ ...base(attempt), type: "retry", reason, status, delayMs });
      return sleep(delayMs, userSignal);
    };
    const canRetry = attempt <= call.retry.maxRetries;

    if (!result.ok) {
      const timedOut = (result.error as Error | undefined)?.name === "TimeoutError";
      const cause = (result.error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
      const reason = timedOut
        ? `no response within ${call.timeoutMs} ms`
        : redact(
            `${cause?.code ?? (result.error as Error | undefined)?.name ?? "Error"}: ${cause?.message ?? (result.error as Error | undefined)?.message ?? String(result.error)}`,
            currentToken,
          );
      if (idempotent && canRetry) {
        ambiguous = true;
        await retryIn(backoffDelay(attempt - 1, call.retry), reason);
        continue;
      }
      const ErrorClass = timedOut ? AstroTimeoutError : AstroConnectionError;
      const note = idempotent
        ? `after ${attempt} attempt${attempt === 1 ? "" : "s"}`
        : notRetriedNote(call.operation, method);
      throw report(
        new ErrorClass(`${reason} (${method} ${call.path}); ${note}`, { ...info }, { cause: result.error }),
      );
    }
    transport.emit({
      ...base(attempt),
      type: "response",
      status: result.status,
      requestId: requestIdFromHeaders(result.headers),
      durationMs: result.durationMs,
    });
    // Success bodies are data and go back untouched; anything that can end up in an error
    // (message, body, headers) has any echo of the token removed.
    const text =
      result.status >= 200 && result.status < 300 ? result.text : redact(result.text, currentToken);

    if (result.status >= 200 && result.status < 300) {
      const expectsJson = call.operation?.jsonResponse === true && result.status !== 204;
      if (expectsJson) {
        const problem =
          text.trim() === "" ? "an empty body" : isJson(text) ? undefined : "a body that is not JSON";
        if (problem) {
          throw report(
            new InvalidResponseError(
              {
                ...responseInfo(result, redact(text, currentToken), currentToken),
                detail: `${call.operation?.operationId ?? "this operation"} declares a JSON response, but the server sent ${problem}`,
              },
              { ...info },
            ),
          );
        }
      }
      return new Response(result.status === 204 || text === "" ? null : text, {
        status: result.status,
        statusText: result.statusText,
        headers: result.headers,
      });
    }

    // The API answers a repeated DELETE with 404: after an attempt that may have deleted, that is success.
    if (result.status === 404 && method === "DELETE" && ambiguous) {
      return new Response(null, { status: 204, statusText: "No Content", headers: result.headers });
    }

    if (result.status === 429) {
      const retryAfterMs = parseRetryAfter(result.headers.get("retry-after"));
      const waitable = retryAfterMs === undefined || retryAfterMs <= call.retry.maxRetryAfterMs;
      // A 429 was not processed, so even a create may be sent again.
      if (canRetry && waitable) {
        await retryIn(retryAfterMs ?? backoffDelay(attempt - 1, call.retry), "429 Too Many Requests", 429);
        continue;
      }
      throw report(new RateLimitError(responseInfo(result, text, currentToken), { ...info }));
    }

    if (isRetryableServerStatus(result.status)) {
      if (idempotent && canRetry) {
        ambiguous = true;
        await retryIn(
          backoffDelay(attempt - 1, call.retry),
          `${result.status} ${result.statusText}`,
          result.status,
        );
        continue;
      }
      const ErrorClass = errorClassFor(result.status);
      throw report(
        new ErrorClass(
          responseInfo(result, text, currentToken),
          { ...info },
          idempotent ? undefined : notRetriedNote(call.operation, method),
        ),
      );
    }

    const ErrorClass = errorClassFor(result.status);
    throw report(new ErrorClass(responseInfo(result, text, currentToken), { ...info }));
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The normalised fields of a response; `text` is already redacted, headers are redacted here. */
function responseInfo(
  result: { status: number; statusText: string; headers: Headers },
  text: string,
  secret: string,
): ErrorResponseInfo {
  const parsed = parseErrorBody(text, result.headers.get("content-type"), result.headers);
  const detail = parsed.detail ?? (result.statusText || `HTTP ${result.status}`);
  const violations = violationsOf(result.headers);
  return {
    status: result.status,
    statusText: result.statusText,
    detail: redact(violations ? `${detail} (violations: ${violations})` : detail, secret),
    requestId: parsed.requestId && redact(parsed.requestId, secret),
    headers: headerRecord(result.headers, secret),
    body: parsed.body,
  };
}
