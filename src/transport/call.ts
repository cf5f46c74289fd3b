import type { ClientConfig } from "../client/config.js";
import { requestIdFromHeaders } from "../errors/error-body.js";
import { AstroApiError, type AstroConnectionError } from "../errors/error-classes.js";
import { secretForms } from "../errors/redact.js";
import { methodClass, type MethodClass } from "../throttle/limits.js";
import type { Throttle } from "../throttle/throttle.js";
import { sendAttempt, type AttemptRequest } from "./attempt.js";
import { decide, type CallPlan, type Outcome } from "./decide.js";
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
 * A shorter wait than this is the limiter's own overhead (its timer turns), not waiting for
 * budget, and is not reported as throttling.
 */
const THROTTLE_EVENT_MIN_MS = 20;

/**
 * Runs one call to the end: for each attempt, gets the current token, waits for budget, sends,
 * and lets the pure policy (`decide`) say whether to return, retry after a delay, or throw.
 * `request` is the one openapi-fetch built (URL, serialised body, headers); the data is parsed
 * once, by the policy, and the `Response` returned is the one the server sent.
 */
export async function runCall(
  request: Request,
  plan: CallPlan,
  signal: AbortSignal | undefined,
  transport: Transport,
): Promise<{ data: unknown; response: Response }> {
  const { config, throttle } = transport;
  const emit = config.emit;
  const { record } = plan;
  const headers = request.headers;
  for (const name in config.headers) headers.set(name, config.headers[name]!);
  const sent: AttemptRequest & { headers: Headers } = {
    url: plan.url,
    method: record.method,
    headers,
    body: request.body === null ? undefined : await request.text(),
    timeoutMs: plan.timeoutMs,
    signal,
    fetch: config.fetch,
    streamSuccess: plan.operation?.responseBody === "binary",
  };
  const cls: MethodClass | undefined = throttle && methodClass(record.method);
  let ambiguous = false;

  for (let number = 1; ; number++) {
    const attemptInfo = { ...record, url: plan.url, attempts: number };
    const readToken = (): Promise<string> | string => {
      const current = config.token();
      return typeof current === "string" ? current : awaitToken(current, plan.timeoutMs, signal, attemptInfo);
    };
    const queuedToken = await readToken();
    let token = queuedToken;

    const attempt = (ticket: AttemptTicket): Promise<Outcome> => {
      headers.set("authorization", `Bearer ${token}`);
      emit?.({ ...record, attempt: number, type: "request", url: plan.url }, token);
      return sendAttempt(sent, ticket);
    };
    let outcome: Outcome;
    if (throttle && cls) {
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
          }
          const waitedMs = Math.round(performance.now() - queuedAt);
          if (waitedMs >= THROTTLE_EVENT_MIN_MS) {
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
    const decision = decide(outcome, plan, {
      number,
      ambiguous,
      token,
      now: Date.now(),
      jitter: Math.random(),
    });
    if (decision.action === "return") return decision;
    if (decision.action === "throw") throw reported(decision.error, number, plan, emit, token);
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
  plan: CallPlan,
  emit: ClientConfig["emit"],
  token: string,
): E {
  const api = error instanceof AstroApiError ? error : undefined;
  emit?.(
    {
      ...plan.record,
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
