import type { OperationInfo } from "../../generated/operations.js";
import type { ClientConfig } from "../client/config.js";
import { requestIdFromHeaders } from "../errors/error-body.js";
import { AstroApiError, type AstroConnectionError } from "../errors/error-classes.js";
import { redact } from "../errors/redact.js";
import type { RequestRecord } from "../errors/request-record.js";
import type { MethodClass } from "../throttle/limits.js";
import type { CallTarget } from "../operations/operation-index.js";
import type { Throttle } from "../throttle/throttle.js";
import { redirectTarget, sendAttempt, type AttemptRequest } from "./attempt.js";
import { MAX_REDIRECTS } from "./response-limits.js";
import { decide, type CallPlan, type Outcome } from "./decide.js";
import { streamCutError } from "./stream-body.js";
import type { RetryPolicy } from "./retry.js";
import { sleep } from "./timers.js";
import { abortReason } from "./abort-fanout.js";
import type { AttemptTicket, Ticket } from "../throttle/limiter.js";
import { giveBack } from "../throttle/ticket.js";
import { UNTHROTTLED } from "./throttle-gate.js";
import { awaitToken, tokenSecrets } from "./token.js";
import type { PlannedRequest } from "./planned-request.js";

/** What the client shares between its calls: its config and its throttle. */
export interface Transport {
  readonly config: ClientConfig;
  readonly throttle: Throttle | undefined;
  /** The throttle's key of a token (`tokenHash`, remembered for the client's current token). */
  readonly hashOf: (token: string) => string;
}

/**
 * One call, as the `fetch` openapi-fetch is given for it: that receives what openapi-fetch built
 * (URL, serialised body, headers: a `PlannedRequest`, planned-request.ts) and answers with the server's own
 * `Response`, after every attempt the policy asked for; the data, parsed once by the policy, is
 * left in `data`. It is also the call's plan (what `decide` reads), so a call allocates one object.
 */
export class CallRun implements CallPlan {
  url = "";
  data: unknown = undefined;
  /** For a page fetched by `paginate`: its items' fingerprint (decide.ts). */
  fingerprint: string | undefined = undefined;
  /** The token the last attempt was sent with, for the loop's events and errors (internal: a run is never handed out). */
  sentToken = "";
  /** The number of the last attempt sent. */
  attempts = 0;
  readonly record: RequestRecord;
  readonly operation: OperationInfo | undefined;
  readonly idempotent: boolean;
  readonly methodClass: MethodClass;

  constructor(
    target: CallTarget,
    readonly retry: RetryPolicy,
    readonly timeoutMs: number,
    readonly itemsKey: string | undefined,
    readonly signal: AbortSignal | undefined,
    readonly transport: Transport,
  ) {
    this.record = target.record;
    this.operation = target.operation;
    this.idempotent = target.idempotent;
    this.methodClass = target.methodClass;
  }

  /** openapi-fetch's `fetch` for this call: given the request it built, answers with the server's `Response`. */
  readonly fetch = (request: PlannedRequest): Promise<Response> => {
    this.url = request.url;
    return runCall(request, this);
  };
}

/**
 * Runs one call to the end: for each attempt, gets the current token, waits for budget, sends,
 * and lets the pure policy (`decide`) say whether to return, retry after a delay, or throw.
 */
async function runCall(request: PlannedRequest, run: CallRun): Promise<Response> {
  const { config, throttle } = run.transport;
  const { record, signal } = run;
  const emit = config.emit;
  const { headers, built } = request;
  for (const name in config.headers) headers.set(name, config.headers[name]!);
  let sent: AttemptRequest = {
    url: run.url,
    method: record.method,
    headers,
    body: built === undefined ? request.body : built.body === null ? undefined : await built.text(),
    timeoutMs: run.timeoutMs,
    signal,
    fetch: config.fetch,
    built,
    // Only a binary response is streamed; a JSON call builds no closure for it.
    streamFailure:
      run.operation?.responseBody === "binary"
        ? (error, bytes) => streamCutError(run, run.attempts, run.sentToken, error, bytes)
        : undefined,
  };
  let ambiguous = false;
  let hops = 0;

  for (let number = 1; ; number++) {
    // With a signal, awaited even when the token is a constant string: the attempt then starts a
    // microtask later, so a call aborted in the tick it was made sends nothing and costs no budget.
    const current = currentToken(run, number);
    const queuedToken = typeof current === "string" && signal === undefined ? current : await current;

    let outcome: Outcome;
    if (throttle === undefined) outcome = await attempt(run, sent, number, queuedToken, UNTHROTTLED);
    else {
      // A call that found budget is sent in this tick; one that did not waits for it.
      const granted = throttle.acquire(run.transport.hashOf(queuedToken), run.methodClass, signal);
      if (granted instanceof Promise)
        outcome = await queuedAttempt(run, throttle, sent, number, queuedToken, granted);
      else {
        // Not `settle` (ticket.ts): its closure and async frame would be on every call's path.
        try {
          outcome = await attempt(run, sent, number, queuedToken, granted);
        } finally {
          granted.end();
        }
      }
    }
    // The token the attempt was sent with (a call that waited for budget reads it again).
    const token = run.sentToken;
    if (signal?.aborted) throw abortReason(signal);

    if (emit && outcome.kind === "response") {
      const { response, durationMs } = outcome;
      const requestId = requestIdFromHeaders(response.headers, tokenSecrets(token));
      emit(
        { ...record, attempt: number, type: "response", status: response.status, requestId, durationMs },
        token,
      );
    }
    // A redirect within the origin is the next attempt of the same number, through the throttle
    // again: its request is another arrival at the server, so it takes a unit of its own.
    const next =
      outcome.kind === "response" && hops < MAX_REDIRECTS
        ? redirectTarget(outcome.response, sent.url, record.method)
        : undefined;
    if (next) {
      hops++;
      // The server chose this URL: events and errors show it without the token it may echo.
      run.url = redact(next.href, tokenSecrets(token));
      sent = { ...sent, url: next.href, built: undefined };
      number--;
      continue;
    }
    const decision = decide(outcome, run, {
      number,
      ambiguous,
      token,
      now: Date.now(),
      jitter: Math.random(),
    });
    if (decision.action === "return") {
      run.data = decision.data;
      run.fingerprint = decision.fingerprint;
      return decision.response;
    }
    if (decision.action === "throw") throw reported(decision.error, number, record, emit, token);
    ambiguous ||= decision.ambiguous;
    const { delayMs, reason, status } = decision;
    emit?.({ ...record, attempt: number, type: "retry", reason, status, delayMs }, token);
    await sleep(delayMs, signal);
  }
}

/**
 * The token for attempt `number`: a constant as it is (no closure, no promise), or the caller's
 * function awaited within the attempt's timeout and the call's signal.
 */
function currentToken(run: CallRun, number: number): string | Promise<string> {
  const current = run.transport.config.token();
  if (typeof current === "string") return current;
  return awaitToken(current, run.timeoutMs, run.signal, { ...run.record, url: run.url, attempts: number });
}

/**
 * An attempt that waits for budget: sent once `granted` resolves, with the token current then,
 * not the one read when it queued (a rotation while the call waited must not send a revoked
 * token), moved to that token's budget if it changed.
 */
async function queuedAttempt(
  run: CallRun,
  throttle: Throttle,
  sent: AttemptRequest,
  number: number,
  queuedToken: string,
  granted: Promise<Ticket>,
): Promise<Outcome> {
  const queuedAt = performance.now();
  let ticket = await granted;
  try {
    let token: string;
    try {
      token = await currentToken(run, number);
    } catch (error) {
      ticket.unsent();
      throw error;
    }
    if (token !== queuedToken) {
      // Rotated while it waited: the unit of the old token's budget goes back at once (nothing
      // was sent with it), and the attempt waits for the new token's budget instead.
      giveBack(ticket);
      ticket = await throttle.acquire(run.transport.hashOf(token), run.methodClass, run.signal);
    }
    const waitedMs = Math.round(performance.now() - queuedAt);
    const { record } = run;
    run.transport.config.emit?.(
      { ...record, attempt: number, type: "throttle", methodClass: run.methodClass, waitedMs },
      token,
    );
    return await attempt(run, sent, number, token, ticket);
  } finally {
    ticket.end();
  }
}

/** One attempt with `token`: sets it in the headers, reports the request, and sends. */
function attempt(
  run: CallRun,
  sent: AttemptRequest,
  number: number,
  token: string,
  ticket: AttemptTicket,
): Promise<Outcome> {
  run.sentToken = token;
  run.attempts = number;
  sent.headers.set("authorization", `Bearer ${token}`);
  run.transport.config.emit?.({ ...run.record, attempt: number, type: "request", url: run.url }, token);
  return sendAttempt(sent, ticket);
}

/** Reports an error as an event and hands it back to be thrown. */
function reported<E extends AstroApiError | AstroConnectionError>(
  error: E,
  attempt: number,
  record: RequestRecord,
  emit: ClientConfig["emit"],
  token: string,
): E {
  const api = error instanceof AstroApiError ? error : undefined;
  emit?.(
    {
      ...record,
      attempt,
      type: "error",
      name: error.name,
      message: error.message,
      status: api?.status,
      requestId: api?.requestId,
    },
    token,
  );
  return error;
}
