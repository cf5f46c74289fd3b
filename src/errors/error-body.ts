import { redact, redactParsed } from "./redact.js";
import { describeViolation, prismViolations } from "./prism-violations.js";
import {
  MAX_BODY_DEPTH,
  MAX_BODY_LENGTH,
  MAX_DETAIL_LENGTH,
  MAX_REQUEST_ID_LENGTH,
  safeLine,
} from "./server-text.js";

export { MAX_BODY_LENGTH, MAX_DETAIL_LENGTH } from "./server-text.js";

export interface ParsedErrorBody {
  /** A one-line message for a person, from the body when it has one. */
  detail: string | undefined;
  requestId: string | undefined;
  /** Parsed JSON, the text of other bodies (or of long or deep JSON), `undefined` when empty. */
  body: unknown;
}

const REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id"];

/** The request id a gateway put in a response header, if any, redacted and bounded. */
export function requestIdFromHeaders(headers: Headers, secrets: readonly string[] = []): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return safeLine(redact(value, secrets), MAX_REQUEST_ID_LENGTH);
  }
  return undefined;
}

function oneLine(text: string): string {
  return safeLine(text, MAX_DETAIL_LENGTH);
}

function stringField(value: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const field = value[key];
    if (typeof field === "string" && field.trim() !== "") return field;
  }
  return undefined;
}

/** Text of an HTML page, reduced to its title or its visible words. */
function htmlText(html: string): string {
  const page = html.slice(0, MAX_BODY_LENGTH);
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(page)?.[1];
  if (title && title.trim() !== "") return title;
  return page.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]+>/g, " ");
}

function keptText(text: string): string {
  return text.length > MAX_BODY_LENGTH ? text.slice(0, MAX_BODY_LENGTH) : text;
}

/**
 * Normalises every error body seen in the wild without ever throwing: the spec's JSON
 * `{message, requestId, statusCode}`, problem+json `{title, detail}` (Prism), plain text (the
 * live gateway answers 401/403 that way), HTML from a proxy, an empty body, invalid JSON, and
 * bodies too long or too deep to keep. Every `secret` is redacted from what is returned: in the
 * text, and in each string of parsed JSON (so an escaped echo is caught too).
 */
export function parseErrorBody(
  text: string,
  contentType: string | null,
  headers: Headers,
  secrets: readonly string[] = [],
): ParsedErrorBody {
  const headerRequestId = requestIdFromHeaders(headers, secrets);
  if (text.trim() === "") return { detail: undefined, requestId: headerRequestId, body: undefined };
  const safeText = redact(text, secrets);

  const type = (contentType ?? "").toLowerCase();
  const looksJson = type.includes("json") || /^\s*[{[]/.test(text);
  if (looksJson) {
    let json: unknown;
    let parsed = false;
    try {
      json = JSON.parse(text);
      parsed = true;
    } catch {
      // Not JSON after all (a truncated body, or a gateway that lies about its type): use the text.
    }
    if (parsed) {
      if (!redactParsed(json, secrets, MAX_BODY_DEPTH)) {
        // Too deep to walk, or to serialise later: nothing of it is kept but its size.
        const note = `JSON nested deeper than ${MAX_BODY_DEPTH} levels (${text.length} characters), not kept`;
        return { detail: note, requestId: headerRequestId, body: note };
      }
      // Serialised again from the redacted value, so no escaped spelling of a secret survives.
      const serialised = JSON.stringify(json);
      const body = serialised.length <= MAX_BODY_LENGTH ? json : keptText(serialised);
      if (json !== null && typeof json === "object" && !Array.isArray(json)) {
        const record = json as Record<string, unknown>;
        const title = stringField(record, "title");
        const message = stringField(record, "message", "detail", "error_description", "error");
        const detail = title && message && title !== message ? `${title}: ${message}` : (message ?? title);
        const requestId = stringField(record, "requestId", "request_id");
        return {
          detail: oneLine(detail ?? serialised),
          requestId: requestId ? safeLine(requestId, MAX_REQUEST_ID_LENGTH) : headerRequestId,
          body,
        };
      }
      return { detail: oneLine(serialised), requestId: headerRequestId, body };
    }
  }
  const isHtml = type.includes("html") || /^\s*<(!doctype|html)/i.test(text);
  return {
    detail: oneLine(isHtml ? htmlText(safeText) : safeText),
    requestId: headerRequestId,
    body: keptText(safeText),
  };
}

/**
 * Prism (the mock this SDK ships) answers an invalid request with the document's example error
 * body and puts the real reason in an `sl-violations` header; this reads it without throwing.
 */
export function violationsOf(headers: Headers, secrets: readonly string[] = []): string | undefined {
  const found = prismViolations(headers);
  if (found === undefined) return undefined;
  if (typeof found === "string") return oneLine(redact(found, secrets));
  return found.length > 0 ? oneLine(redact(found.map(describeViolation).join("; "), secrets)) : undefined;
}
