import { parseRetryAfter } from "../transport/retry-after.js";
import type { AstroRequestInfo } from "./request-record.js";
import { MAX_JSON_LENGTH } from "./server-text.js";

/** Base class of every error this SDK throws. */
export class AstroError extends Error {
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
  readonly api: string;
  readonly method: string;
  readonly path: string;
  readonly operationId: string | undefined;
  readonly url: string;
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
  status: number;
  statusText: string;
  /** The message from the body, or the status text when the body had none. */
  detail: string;
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
  readonly status: number;
  readonly statusText: string;
  /** Astronomer's request id, from the body or a request-id header: quote it to support. */
  readonly requestId: string | undefined;
  readonly headers: Record<string, string>;
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

/** 400: the request does not satisfy the API (Prism reports its violations here too). */
export class BadRequestError extends AstroApiError {
  override name = "BadRequestError";
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
