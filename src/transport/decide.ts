import type { OperationInfo } from "../../generated/operations.js";
import {
  AstroApiError,
  AstroConnectionError,
  AstroTimeoutError,
  InvalidResponseError,
  RateLimitError,
  errorClassFor,
} from "../errors/error-classes.js";
import { redact } from "../errors/redact.js";
import { tokenSecrets } from "./token.js";
import type { AstroRequestInfo, RequestRecord } from "../errors/request-record.js";
import { responseInfo } from "../errors/response-info.js";
import { safeCause } from "../errors/safe-cause.js";
import { MAX_DETAIL_LENGTH, safeLine } from "../errors/server-text.js";
import { describeValue } from "../errors/describe-value.js";
import { checkPage } from "../operations/page-check.js";
import {
  MAX_ERROR_BODY_BYTES,
  MAX_REDIRECTS,
  MAX_RESPONSE_BODY_BYTES,
  REDIRECT_STATUSES,
} from "./response-limits.js";
import { parseRetryAfter } from "../errors/retry-after.js";
import { backoffDelay, isRetryableServerStatus, type RetryPolicy } from "./retry.js";

// A little over 250 lines: the whole retry policy of one attempt's outcome (success, 429, 5xx,
// redirects, failures), each branch reading the same plan and state; the page check is its own file.

/** What the policy knows of a call: the same for each of its attempts. */
export interface CallPlan {
  readonly record: RequestRecord;
  /** The URL requested (without credentials). */
  readonly url: string;
  readonly operation: OperationInfo | undefined;
  /** Whether an attempt that may have taken effect may be sent again. */
  readonly idempotent: boolean;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  /** For a page fetched by `paginate`: the array property its items must be in. */
  readonly itemsKey?: string;
}

/** What the policy knows of the attempt it decides about. */
export interface AttemptState {
  /** 1 for the first attempt. */
  readonly number: number;
  /** An earlier attempt of this call may have taken effect (5xx, reset or timeout of an idempotent call). */
  readonly ambiguous: boolean;
  /** The token the attempt sent: redacted from anything the server said. */
  readonly token: string;
  /** `Date.now()` when the outcome arrived (reads `Retry-After` dates). */
  readonly now: number;
  /** A draw in [0, 1) for the backoff's jitter. */
  readonly jitter: number;
}

/** How one attempt ended: a response with its body read, or what stopped it. */
export type Outcome =
  | {
      readonly kind: "response";
      readonly response: Response;
      /** The body as read: whole, or up to its bound (attempt.ts). */
      readonly text: string;
      /** The body went on past its bound, and was not read further. */
      readonly cut?: boolean;
      readonly durationMs: number;
    }
  | {
      readonly kind: "failure";
      readonly error: unknown;
      readonly timedOut: boolean;
      readonly durationMs: number;
    };

/** An attempt the server answered. */
type Answer = Extract<Outcome, { kind: "response" }>;

/** What the call does next. */
export type Decision =
  | {
      readonly action: "return";
      readonly data: unknown;
      readonly response: Response;
      /** For a page fetched by `paginate`: its items' fingerprint, which tells a page that comes again. */
      readonly fingerprint?: string;
    }
  | {
      readonly action: "retry";
      readonly delayMs: number;
      /** One line for the `retry` event. */
      readonly reason: string;
      readonly status: number | undefined;
      /** Whether the attempt may have taken effect. */
      readonly ambiguous: boolean;
    }
  | { readonly action: "throw"; readonly error: AstroApiError | AstroConnectionError };

function infoOf(call: CallPlan, attempt: AttemptState): AstroRequestInfo {
  return { ...call.record, url: call.url, attempts: attempt.number };
}

/** Why a non-idempotent call was not retried, in words a person can act on. */
function notRetriedNote(call: CallPlan): string {
  const name = call.operation?.operationId ?? `${call.record.method} request`;
  const what =
    call.operation?.kind === "create" ? "the object may have been created" : "it may have taken effect";
  return `${name} is not idempotent, so it was not retried: ${what}; check before sending it again`;
}

function backoff(call: CallPlan, attempt: AttemptState): number {
  return backoffDelay(attempt.number - 1, call.retry, () => attempt.jitter);
}

function fail(error: AstroApiError | AstroConnectionError): Decision {
  return { action: "throw", error };
}

/** A 2xx: the data, parsed once, or `InvalidResponseError` when the declared JSON body is missing. */
function decideSuccess(answer: Answer, call: CallPlan, attempt: AttemptState): Decision {
  const { response, text, cut } = answer;
  const operation = call.operation;
  // Bytes (GetOrganizationAuditLogs): handed over as the server's stream, never decoded or parsed.
  if (operation?.responseBody === "binary")
    return { action: "return", data: response.body ?? new Response(new Uint8Array(0)).body, response };
  // An operation that declares no body succeeds whatever the 2xx carries.
  if (operation !== undefined && !operation.jsonResponse)
    return { action: "return", data: undefined, response };
  let problem: string | undefined;
  let data: unknown;
  // A body longer than the bound was not read whole: no JSON can be made of its start.
  if (cut) problem = `a body over ${MAX_RESPONSE_BODY_BYTES / 1024 / 1024} MiB (not read past it)`;
  else {
    try {
      data = JSON.parse(text);
    } catch {
      // Only a body that failed to parse is looked at again (trimming a large one copies it).
      if (text.trim() === "") {
        if (operation === undefined) return { action: "return", data: undefined, response };
        problem = response.status === 204 ? "204 No Content" : "an empty body";
      } else problem = "a body that is not JSON";
    }
  }
  const paged = problem === undefined && call.itemsKey !== undefined;
  let fingerprint: string | undefined;
  if (paged) {
    const page = checkPage(data, call.itemsKey);
    if ("problem" in page) problem = page.problem;
    else fingerprint = page.fingerprint;
  }
  if (problem === undefined) return { action: "return", data, response, fingerprint };
  const what = paged
    ? `${operation?.operationId ?? "this operation"} is a paginated list`
    : operation
      ? `${operation.operationId} declares a JSON response`
      : "a JSON response was expected";
  const info = responseInfo(
    response,
    // No more than an error body: the error keeps less, and redacting 64 MiB costs several times that.
    text.length > MAX_ERROR_BODY_BYTES ? text.slice(0, MAX_ERROR_BODY_BYTES) : text,
    tokenSecrets(attempt.token),
    `${what}, but the server sent ${problem}`,
  );
  return fail(new InvalidResponseError(info, infoOf(call, attempt)));
}

/** A response the API should not send to this SDK: a redirect not followed says why it was not. */
function redirectNote(response: Response, attempt: AttemptState): string | undefined {
  const location = response.headers.get("location");
  if (!REDIRECT_STATUSES.has(response.status) || location === null) return undefined;
  const where = safeLine(redact(location, tokenSecrets(attempt.token)), 200);
  return (
    `Redirect to ${where} not followed: redirects are followed only within the same origin ` +
    `(307/308 keeping method and body, others for GET), at most ${MAX_REDIRECTS} in a row, so the token never reaches another host`
  );
}

/** `CODE: message` of a network failure (undici puts the socket's error in `cause`), never throwing. */
export function failureText(thrown: unknown): string {
  try {
    const error = thrown as { name?: unknown; message?: unknown; cause?: unknown } | undefined;
    const cause = error?.cause as { code?: unknown; message?: unknown } | undefined;
    // Strings as they are (bounded and redacted where the message is made), anything else by its kind.
    const text = (value: unknown) => (typeof value === "string" ? value : describeValue(value));
    return `${text(cause?.code ?? error?.name ?? "Error")}: ${text(cause?.message ?? error?.message ?? error)}`;
  } catch {
    return "a failure that could not be described";
  }
}

function decideFailure(
  outcome: Extract<Outcome, { kind: "failure" }>,
  call: CallPlan,
  attempt: AttemptState,
): Decision {
  const secrets = tokenSecrets(attempt.token);
  const reason = outcome.timedOut
    ? `no response within ${call.timeoutMs} ms`
    : safeLine(redact(failureText(outcome.error), secrets), MAX_DETAIL_LENGTH);
  if (call.idempotent && attempt.number <= call.retry.maxRetries) {
    return { action: "retry", delayMs: backoff(call, attempt), reason, status: undefined, ambiguous: true };
  }
  const ErrorClass = outcome.timedOut ? AstroTimeoutError : AstroConnectionError;
  const note = call.idempotent
    ? `after ${attempt.number} attempt${attempt.number === 1 ? "" : "s"}`
    : notRetriedNote(call);
  return fail(
    new ErrorClass(`${reason} (${call.record.method} ${call.record.path}); ${note}`, infoOf(call, attempt), {
      cause: safeCause(outcome.error, secrets),
    }),
  );
}

/**
 * The retry policy, as a pure function of one attempt's outcome: return the data, retry after a
 * delay, or throw a normalised error.
 *
 * - 2xx: the data (JSON parsed once), or `InvalidResponseError` when the declared JSON is missing.
 * - 429: retried for any operation (the server did not process it) after `Retry-After` or a
 *   backoff, unless it asks for longer than `maxRetryAfterMs`.
 * - 500/502/503/504, resets, timeouts: retried only when the operation is idempotent; otherwise
 *   thrown with a note saying it may have taken effect.
 * - 404 to a DELETE after an attempt that may have deleted: success (the object is gone).
 * - Anything else: thrown as the status's `AstroApiError` subclass.
 */
export function decide(outcome: Outcome, call: CallPlan, attempt: AttemptState): Decision {
  if (outcome.kind === "failure") return decideFailure(outcome, call, attempt);
  const { response, text } = outcome;
  const status = response.status;
  if (status >= 200 && status < 300) return decideSuccess(outcome, call, attempt);
  const canRetry = attempt.number <= call.retry.maxRetries;

  // The API answers a repeated DELETE with 404: after an attempt that may have deleted, that is success.
  if (status === 404 && call.record.method === "DELETE" && attempt.ambiguous) {
    const gone = new Response(null, { status: 204, statusText: "No Content", headers: response.headers });
    return { action: "return", data: undefined, response: gone };
  }

  const secrets = tokenSecrets(attempt.token);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), attempt.now);
    const waitable = retryAfterMs === undefined || retryAfterMs <= call.retry.maxRetryAfterMs;
    // A 429 was not processed, so even a create may be sent again.
    if (canRetry && waitable) {
      const delayMs = retryAfterMs ?? backoff(call, attempt);
      return { action: "retry", delayMs, reason: "429 Too Many Requests", status, ambiguous: false };
    }
    return fail(new RateLimitError(responseInfo(response, text, secrets), infoOf(call, attempt)));
  }

  if (isRetryableServerStatus(status)) {
    if (call.idempotent && canRetry) {
      const reason = safeLine(`${status} ${redact(response.statusText, secrets)}`, MAX_DETAIL_LENGTH);
      return { action: "retry", delayMs: backoff(call, attempt), reason, status, ambiguous: true };
    }
    const ErrorClass = errorClassFor(status);
    const note = call.idempotent ? undefined : notRetriedNote(call);
    return fail(new ErrorClass(responseInfo(response, text, secrets), infoOf(call, attempt), note));
  }

  const ErrorClass = errorClassFor(status);
  return fail(
    new ErrorClass(
      responseInfo(response, text, secrets),
      infoOf(call, attempt),
      redirectNote(response, attempt),
    ),
  );
}
