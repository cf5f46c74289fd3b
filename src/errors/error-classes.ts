import { parseRetryAfter } from "./retry-after.js";
import type { AstroRequestInfo } from "./request-record.js";
import { MAX_DETAIL_LENGTH, MAX_JSON_LENGTH, safeLine } from "./server-text.js";

// Over 250 lines because it is the whole error hierarchy, each class a few lines: the request
// fields are documented once on the base classes and inherited by every subclass, so one file
// shows everything a `NotFoundError` or an `AstroTimeoutError` carries.

/** Base class of every error this SDK throws. */
export class AstroError extends Error {
  /** The class's name, also in `message`'s stack line and `toJSON()`: each subclass sets its own, so logs say which error it was without `instanceof`. */
  override name = "AstroError";

  /** A plain object safe to log: no token, no request headers. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message };
  }
}

/**
 * `util.inspect` (and so `console.log`) shows the same safe view as `toJSON`, plus the stack.
 * Defined through the registered symbol rather than `node:util`, so the published types do not
 * require `@types/node`.
 */
Object.defineProperty(AstroError.prototype, Symbol.for("nodejs.util.inspect.custom"), {
  value: function (
    this: AstroError,
    _depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ) {
    return `${this.stack ?? `${this.name}: ${this.message}`}\n${inspect(this.toJSON(), { ...options, depth: 4 })}`;
  },
});

/** An option given to `createAstroClient` (or a token returned by a token function) is unusable. */
export class AstroConfigError extends AstroError {
  override name = "AstroConfigError";
}

/** Shared by errors that belong to one request. */
abstract class AstroRequestError extends AstroError {
  /** Which API the request was for: `"v1"`, or `"platform"`/`"iam"` on the v1beta1 client. */
  readonly api: string;
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The path template called (e.g. `/organizations/{organizationId}`), not the filled-in URL. */
  readonly path: string;
  /** The operation's id in the API document, when the path and method name one. */
  readonly operationId: string | undefined;
  /** The URL of the last attempt (it carries no token: that travels in the Authorization header). */
  readonly url: string;
  /** How many attempts were sent, retries included. */
  readonly attempts: number;

  constructor(message: string, info: AstroRequestInfo, options?: { cause?: unknown }) {
    super(message, options);
    this.api = info.api;
    this.method = info.method;
    this.path = info.path;
    this.operationId = info.operationId;
    this.url = info.url;
    this.attempts = info.attempts;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      api: this.api,
      method: this.method,
      path: this.path,
      operationId: this.operationId,
      url: this.url,
      attempts: this.attempts,
    };
  }
}

/** Fields of an HTTP error response, normalised from whatever body the server sent. */
export interface ErrorResponseInfo {
  /** The HTTP status of the response. */
  status: number;
  /** The response's status text (often empty over HTTP/2). */
  statusText: string;
  /** The message from the body, or the status text when the body had none. */
  detail: string;
  /** Astronomer's request id, from the body or a request-id header. */
  requestId: string | undefined;
  /** Response headers (lower-case names). */
  headers: Record<string, string>;
  /** The parsed JSON body, the text of a non-JSON body, or `undefined` when empty. */
  body: unknown;
}

/**
 * The server answered with an error status (or with a success that cannot be used). Subclasses
 * by status let callers `catch` what they can handle: `NotFoundError`, `RateLimitError`, …
 */
export class AstroApiError extends AstroRequestError {
  override name = "AstroApiError";
  /** The HTTP status of the response. */
  readonly status: number;
  /** The response's status text (often empty over HTTP/2). */
  readonly statusText: string;
  /** Astronomer's request id, from the body or a request-id header: quote it to support. */
  readonly requestId: string | undefined;
  /** Response headers (lower-case names), bounded and redacted of the token. */
  readonly headers: Record<string, string>;
  /** The parsed JSON body, the text of a non-JSON body, or `undefined` when empty; bounded and redacted of the token. */
  readonly body: unknown;
  /** The server's own words, without the status and request context of `message`. */
  readonly detail: string;

  constructor(response: ErrorResponseInfo, request: AstroRequestInfo, note?: string) {
    const context = `${request.method} ${request.path}${response.requestId ? `, requestId ${response.requestId}` : ""}`;
    super(
      `${response.status} ${response.statusText || "Error"} — ${response.detail} (${context})${note ? `. ${note}` : ""}`,
      request,
    );
    this.status = response.status;
    this.statusText = response.statusText;
    this.requestId = response.requestId;
    this.headers = response.headers;
    this.body = response.body;
    this.detail = response.detail;
  }

  /** A plain object safe to log, of at most `MAX_JSON_LENGTH` characters serialised. */
  override toJSON(): Record<string, unknown> {
    const json = {
      ...super.toJSON(),
      status: this.status,
      statusText: this.statusText,
      requestId: this.requestId,
      detail: this.detail,
      headers: this.headers,
      body: this.body,
    };
    // Each field is bounded already; together they could still outgrow a log line's budget.
    const length = JSON.stringify(json).length;
    if (length <= MAX_JSON_LENGTH) return json;
    const note = `not kept in toJSON(): the error serialised to ${length} characters`;
    return { ...json, url: this.url.slice(0, 2048), headers: { note }, body: note };
  }
}

/** One failed validation constraint of a v1 400 (`Error.fieldErrors` in the v1 document). */
export interface FieldError {
  /** The field, as the API names it (e.g. `name`, `scalingSpec.hibernationSpec`). */
  readonly field: string;
  /** The constraint that failed (e.g. `required`). */
  readonly code: string;
  /** What the API says is wrong with the field. */
  readonly message: string;
}

/** Field errors summarised in a 400's message; the rest are counted. */
const MAX_SUMMARISED_FIELD_ERRORS = 5;
/** Field errors kept on the error (a hostile body could send millions). */
const MAX_FIELD_ERRORS = 100;

/** The well-formed `fieldErrors` of a body (already redacted and bounded), each string made one safe line. */
function fieldErrorsOf(body: unknown): FieldError[] | undefined {
  const list =
    body !== null && typeof body === "object" ? (body as { fieldErrors?: unknown }).fieldErrors : undefined;
  if (!Array.isArray(list)) return undefined;
  const text = (value: unknown): string => (typeof value === "string" ? safeLine(value, 200) : "");
  return list.slice(0, MAX_FIELD_ERRORS).flatMap((entry: unknown) => {
    if (entry === null || typeof entry !== "object") return [];
    const { field, code, message } = entry as Record<string, unknown>;
    if (typeof field !== "string" && typeof message !== "string") return [];
    return [Object.freeze({ field: text(field), code: text(code), message: text(message) })];
  });
}

/**
 * One entry as `field: message`, saying each thing once: a message that starts with the field's name
 * (`name: name is required`) loses it, and the code is added only when the message does not say it.
 */
function describeFieldError(e: FieldError): string {
  const field = e.field || "?";
  let message = e.message;
  if (e.field && message.toLowerCase().startsWith(`${e.field.toLowerCase()} `))
    message = message.slice(e.field.length + 1);
  if (!message) return `${field}: ${e.code || "invalid"}`;
  return e.code && !message.toLowerCase().includes(e.code.toLowerCase())
    ? `${field}: ${message} (${e.code})`
    : `${field}: ${message}`;
}

/**
 * `Field errors: name: required; region: must be string and 3 more`: at most
 * MAX_SUMMARISED_FIELD_ERRORS entries within MAX_DETAIL_LENGTH characters, whole entries only (the
 * first is cut if it alone is too long), the rest counted.
 */
function fieldErrorSummary(errors: readonly FieldError[] | undefined, total: number): string | undefined {
  if (!errors || errors.length === 0) return undefined;
  const prefix = "Field errors: ";
  // Room kept for the count, so adding it never breaks the bound.
  const budget = MAX_DETAIL_LENGTH - prefix.length - " and 999999999 more".length;
  const shown: string[] = [];
  let length = 0;
  for (const entry of errors.slice(0, MAX_SUMMARISED_FIELD_ERRORS)) {
    const text = describeFieldError(entry);
    const added = (shown.length ? 2 : 0) + text.length;
    if (shown.length && length + added > budget) break;
    shown.push(shown.length ? text : safeLine(text, budget - 30));
    length += added;
  }
  const more = Math.max(total, errors.length) - shown.length;
  return `${prefix}${shown.join("; ")}${more > 0 ? ` and ${more} more` : ""}`;
}

/**
 * 400: the request does not satisfy the API (Prism reports its violations here too). A v1 400
 * from request validation lists each failed constraint in `fieldErrors`, summarised in `message`.
 */
export class BadRequestError extends AstroApiError {
  override name = "BadRequestError";
  /** The v1 API's per-field validation failures (at most 100 kept), `undefined` when the body has none. */
  readonly fieldErrors: readonly FieldError[] | undefined;

  constructor(response: ErrorResponseInfo, request: AstroRequestInfo, note?: string) {
    const fieldErrors = fieldErrorsOf(response.body);
    const listed = (response.body as { fieldErrors?: unknown } | undefined)?.fieldErrors;
    const total = Array.isArray(listed) ? listed.length : 0;
    const summary = fieldErrorSummary(fieldErrors, total);
    super(response, request, [summary, note].filter(Boolean).join(". ") || undefined);
    this.fieldErrors = fieldErrors && Object.freeze(fieldErrors);
  }

  override toJSON(): Record<string, unknown> {
    const json = { ...super.toJSON(), fieldErrors: this.fieldErrors };
    // The body already holds them; the copy gives way when it would outgrow the bound.
    if (JSON.stringify(json).length <= MAX_JSON_LENGTH) return json;
    return { ...json, fieldErrors: `${this.fieldErrors?.length ?? 0} field errors, not kept in toJSON()` };
  }
}
/** 401: the token is missing, invalid or expired. */
export class UnauthorizedError extends AstroApiError {
  override name = "UnauthorizedError";
}
/** 403: the token is valid but may not do this. */
export class ForbiddenError extends AstroApiError {
  override name = "ForbiddenError";
}
/** 404: the object does not exist (or the token may not see it). */
export class NotFoundError extends AstroApiError {
  override name = "NotFoundError";
}
/** 409 */
export class ConflictError extends AstroApiError {
  override name = "ConflictError";
}
/** 412: a precondition of the operation does not hold. */
export class PreconditionFailedError extends AstroApiError {
  override name = "PreconditionFailedError";
}
/** 422 */
export class UnprocessableEntityError extends AstroApiError {
  override name = "UnprocessableEntityError";
}
/** 429 after the last retry. */
export class RateLimitError extends AstroApiError {
  override name = "RateLimitError";
  /** What the server asked to wait (its Retry-After header), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(response: ErrorResponseInfo, request: AstroRequestInfo, note?: string) {
    super(response, request, note);
    this.retryAfterMs = parseRetryAfter(response.headers["retry-after"] ?? null);
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}
/** 5xx */
export class InternalServerError extends AstroApiError {
  override name = "InternalServerError";
}
/**
 * A success status whose body cannot be used: the operation declares a JSON body but the server
 * sent none, or something that is not JSON.
 */
export class InvalidResponseError extends AstroApiError {
  override name = "InvalidResponseError";
}

/** No response: the connection failed or was reset. */
export class AstroConnectionError extends AstroRequestError {
  override name = "AstroConnectionError";
}
/** No response within `timeoutMs` (per attempt). */
export class AstroTimeoutError extends AstroConnectionError {
  override name = "AstroTimeoutError";
}

const BY_STATUS: Record<number, typeof AstroApiError> = {
  429: RateLimitError,
  400: BadRequestError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  412: PreconditionFailedError,
  422: UnprocessableEntityError,
};

/** The error class for a status. */
export function errorClassFor(status: number): typeof AstroApiError {
  return BY_STATUS[status] ?? (status >= 500 ? InternalServerError : AstroApiError);
}
