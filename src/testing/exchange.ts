/**
 * The fake's requests and answers, independent of the transport: the node:http server and the
 * msw handlers both translate to and from these.
 */
import type { FieldError } from "./validation.js";

export interface FakeHttpRequest {
  method: string;
  /** The path without the query, as sent (percent-encoded). */
  path: string;
  query: URLSearchParams;
  /** Header value by lower-case name. */
  header(name: string): string | undefined;
  /** Every header, lower-case names (what the upload endpoint records). */
  headers(): Record<string, string>;
  body: Uint8Array;
}

export interface FakeHttpResponse {
  status: number;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** Drop the connection instead of answering. */
  reset?: boolean;
  /** Wait this long before answering (or dropping). */
  delayMs?: number;
}

const JSON_TYPE = "application/json; charset=utf-8";

export function jsonResponse(status: number, body: unknown, requestId: string): FakeHttpResponse {
  return {
    status,
    headers: { "content-type": JSON_TYPE, "x-request-id": requestId },
    body: JSON.stringify(body),
  };
}

/** The v1 `Error` body: `{ message, requestId, statusCode, fieldErrors? }`, requestId also as a header. */
export function errorResponse(
  status: number,
  message: string,
  requestId: string,
  fieldErrors?: readonly FieldError[],
  headers: Record<string, string> = {},
): FakeHttpResponse {
  const body = { message, requestId, statusCode: status, ...(fieldErrors?.length ? { fieldErrors } : {}) };
  const response = jsonResponse(status, body, requestId);
  return { ...response, headers: { ...response.headers, ...headers } };
}

/** What the gateway answers itself: plain text, no requestId. */
export function textResponse(
  status: number,
  text: string,
  headers: Record<string, string> = {},
): FakeHttpResponse {
  return { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers }, body: text };
}

export function emptyResponse(status: number, requestId: string): FakeHttpResponse {
  return { status, headers: { "x-request-id": requestId } };
}
