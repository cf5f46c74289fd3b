/** At most this much of a server's message goes into an error message. */
export const MAX_DETAIL_LENGTH = 500;
/** At most this much of a non-JSON body is kept on the error. */
export const MAX_BODY_LENGTH = 64 * 1024;

export interface ParsedErrorBody {
  /** A one-line message for a person, from the body when it has one. */
  detail: string | undefined;
  requestId: string | undefined;
  /** Parsed JSON, the raw text for other bodies, `undefined` when empty. */
  body: unknown;
}

const REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id"];

/** The request id a gateway put in a response header, if any. */
export function requestIdFromHeaders(headers: Headers): string | undefined {
  return REQUEST_ID_HEADERS.map((name) => headers.get(name)).find((v) => v) ?? undefined;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_DETAIL_LENGTH
    ? `${flat.slice(0, MAX_DETAIL_LENGTH)}… (${flat.length} characters)`
    : flat;
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
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  if (title && title.trim() !== "") return title;
  return html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]+>/g, " ");
}

/**
 * Normalises every error body seen in the wild without ever throwing: the spec's JSON
 * `{message, requestId, statusCode}`, problem+json `{title, detail}` (Prism), plain text (the
 * live gateway answers 401/403 that way), HTML from a proxy, an empty body, invalid JSON, and
 * bodies too long to put in a message.
 */
export function parseErrorBody(text: string, contentType: string | null, headers: Headers): ParsedErrorBody {
  const headerRequestId = requestIdFromHeaders(headers);
  if (text.trim() === "") return { detail: undefined, requestId: headerRequestId, body: undefined };

  const type = (contentType ?? "").toLowerCase();
  const looksJson = type.includes("json") || /^\s*[{[]/.test(text);
  if (looksJson) {
    try {
      const json: unknown = JSON.parse(text);
      if (json !== null && typeof json === "object" && !Array.isArray(json)) {
        const record = json as Record<string, unknown>;
        const title = stringField(record, "title");
        const message = stringField(record, "message", "detail", "error_description", "error");
        const detail = title && message && title !== message ? `${title}: ${message}` : (message ?? title);
        return {
          detail: detail ? oneLine(detail) : oneLine(text),
          requestId: stringField(record, "requestId", "request_id") ?? headerRequestId,
          body: json,
        };
      }
      return { detail: oneLine(text), requestId: headerRequestId, body: json };
    } catch {
      // Not JSON after all (a truncated body, or a gateway that lies about its type): use the text.
    }
  }
  const isHtml = type.includes("html") || /^\s*<(!doctype|html)/i.test(text);
  return {
    detail: oneLine(isHtml ? htmlText(text) : text),
    requestId: headerRequestId,
    body: text.length > MAX_BODY_LENGTH ? text.slice(0, MAX_BODY_LENGTH) : text,
  };
}

/**
 * Prism (the mock this SDK ships) answers an invalid request with the document's example error
 * body and puts the real reason in an `sl-violations` header; this reads it without throwing.
 */
export function violationsOf(headers: Headers): string | undefined {
  const header = headers.get("sl-violations");
  if (!header) return undefined;
  try {
    const list = JSON.parse(header) as { message?: unknown; location?: unknown }[];
    const messages = list
      .map((v) => {
        const where = Array.isArray(v.location) ? v.location.join(".") : "";
        return typeof v.message === "string" ? `${where ? `${where}: ` : ""}${v.message}` : undefined;
      })
      .filter((m): m is string => m !== undefined);
    return messages.length > 0 ? oneLine(messages.join("; ")) : undefined;
  } catch {
    return oneLine(header);
  }
}
