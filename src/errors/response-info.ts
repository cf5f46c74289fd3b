import { parseErrorBody, violationsOf } from "./error-body.js";
import type { ErrorResponseInfo } from "./error-classes.js";
import { redact } from "./redact.js";
import {
  MAX_HEADER_NAME_LENGTH,
  MAX_HEADER_VALUE_LENGTH,
  MAX_HEADERS,
  MAX_STATUS_TEXT_LENGTH,
  safeLine,
} from "./server-text.js";

/** Response headers as a bounded record, with any echo of a secret removed from names and values. */
function headerRecord(headers: Headers, secrets: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  let count = 0;
  headers.forEach((value, name) => {
    if (++count > MAX_HEADERS) return;
    record[safeLine(redact(name, secrets), MAX_HEADER_NAME_LENGTH)] = safeLine(
      redact(value, secrets),
      MAX_HEADER_VALUE_LENGTH,
    );
  });
  return record;
}

/**
 * What an error keeps of a response: each field redacted of `secrets`, one line, and bounded.
 * `text` is the body as read (error bodies are read up to a bound).
 */
export function responseInfo(
  response: Response,
  text: string,
  secrets: readonly string[],
  detailOverride?: string,
): ErrorResponseInfo {
  const statusText = safeLine(redact(response.statusText, secrets), MAX_STATUS_TEXT_LENGTH);
  const parsed = parseErrorBody(text, response.headers.get("content-type"), response.headers, secrets);
  const detail = detailOverride ?? parsed.detail ?? (statusText || `HTTP ${response.status}`);
  const violations = violationsOf(response.headers, secrets);
  return {
    status: response.status,
    statusText,
    detail: violations ? `${detail} (violations: ${violations})` : detail,
    requestId: parsed.requestId,
    headers: headerRecord(response.headers, secrets),
    body: parsed.body,
  };
}
