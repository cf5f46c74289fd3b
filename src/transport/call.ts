import type { OperationInfo } from "../../generated/operations.js";
import type { ClientConfig } from "../client/config.js";
import { requestIdFromHeaders } from "../errors/error-body.js";
import { AstroApiError, type AstroConnectionError } from "../errors/error-classes.js";
import { redact, secretForms } from "../errors/redact.js";
import type { RequestRecord } from "../errors/request-record.js";
import { methodClass } from "../throttle/limits.js";
import type { Throttle } from "../throttle/throttle.js";
import { MAX_REDIRECTS, redirectTarget, sendAttempt, type AttemptRequest } from "./attempt.js";
import { decide, type CallPlan, type Outcome } from "./decide.js";
import type { RetryPolicy } from "./retry.js";
import { sleep } from "./sleep.js";
import type { AttemptTicket } from "../throttle/limiter.js";
import { UNTHROTTLED } from "./throttle-gate.js";
import { awaitToken, tokenHash } from "./token.js";

/** What the client shares between its calls: its config and its throttle. */
export interface Transport {
  readonly config: ClientConfig;
  readonly throttle: Throttle | undefined;
}

/**
 * One call, as the per-call openapi-fetch middleware: its `onRequest` receives the `Request`
 * openapi-fetch built (URL, serialised body, headers) and answers with the server's own
 * `Response`, after every attempt the policy asked for; the data, parsed once by the policy, is
 * left in `data`. It is also the call's plan (what `decide` reads), so a call allocates one object.
 */
export class CallRun implements CallPlan {
  url = "";
  data: unknown = undefined;

  constructor(
    readonly record: RequestRecord,
    readonly operation: OperationInfo | undefined,
    readonly idempotent: boolean,
    readonly retry: RetryPolicy,
    readonly timeoutMs: number,
    readonly itemsKey: string | undefined,
    readonly signal: AbortSignal | undefined,
    readonly transport: Transport,
  ) {}

  onRequest({ request }: { request: Request }): Promise<Response> {
    this.url = request.url;
    return runCall(request, this);
  }
}

/**
 * Runs one call to the end: for each attempt, gets the current token, waits for budget, sends,
 * and lets the pure policy (`decide`) say whether to return, retry after a delay, or throw.
 */
async function runCall(request: Request, run: CallRun): Promise<Response> {
  const { config, throttle } = run.transport;
  const { record, signal } = run;
  const emit = config.emit;
  const headers = request.headers;
  for (const name in config.headers) headers.set(name, config.headers[name]!);
  let sent: AttemptRequest = {
    url: run.url,
    method: record.method,
    headers,
    body: request.body === null ? undefined : await request.text(),
    timeoutMs: run.timeoutMs,
    signal,
    fetch: config.fetch,
    streamSuccess: run.operation?.responseBody === "binary",
  };
  let ambiguous = false;
  let hops = 0;

  for (let number = 1; ; number++) {
    const readToken = (): Promise<string> | string => {
      const current = config.token();
      return typeof current === "string"
        ? current
        : awaitToken(current, run.timeoutMs, signal, { ...record, url: run.url, attempts: number });
    };
    const queuedToken = await readToken();
    let token = queuedToken;
    const attempt = (ticket: AttemptTicket): Promise<Outcome> => {
      headers.set("authorization", `Bearer ${token}`);
      emit?.({ ...record, attempt: number, type: "request", url: run.url }, token);
      return sendAttempt(sent, ticket);
    };

    let outcome: Outcome;
    if (throttle) {
      const cls = methodClass(record.method);
      const queuedAt = performance.now();
      let inline = true;
      const pending = throttle.run(
        tokenHash(queuedToken),
        cls,
        async (ticket) => {
          if (!inline) {
            // The token current when the request is sent, not the one read when it queued: a
            // rotation while the call waited for budget must not send a revoked token.
            try {
              token = await readToken();
            } catch (error) {
              ticket.unsent();
              throw error;
            }
            if (token !== queuedToken) await ticket.rekey(tokenHash(token));
            // A call that found budget runs in the same tick; one that did not waited for it.
            const waitedMs = Math.round(performance.now() - queuedAt);
            emit?.({ ...record, attempt: number, type: "throttle", methodClass: cls, waitedMs }, token);
          }
          return attempt(ticket);
        },
        signal,
      );
      inline = false;
      outcome = await pending;
    } else {
      outcome = await attempt(UNTHROTTLED);
    }
    if (signal?.aborted) throw signal.reason;

    if (emit && outcome.kind === "response") {
      const { response, durationMs } = outcome;
      const requestId = requestIdFromHeaders(response.headers, secretForms(token));
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
      run.url = redact(next.href, secretForms(token));
      sent = { ...sent, url: next.href };
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
      return decision.response;
    }
    if (decision.action === "throw") throw reported(decision.error, number, record, emit, token);
    ambiguous ||= decision.ambiguous;
    const { delayMs, reason, status } = decision;
    emit?.({ ...record, attempt: number, type: "retry", reason, status, delayMs }, token);
    await sleep(delayMs, signal);
  }
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
