/**
 * Text a server sent is bounded and made safe to print before the SDK repeats it anywhere (an
 * error message, a field of an error, an event): a hostile or broken server must not be able to
 * flood a log, rewrite a terminal, or forge extra log lines.
 */

/** At most this much of a server's message goes into an error message. */
export const MAX_DETAIL_LENGTH = 500;
/** Bounds of the other fields copied from a response onto an error or an event. */
export const MAX_STATUS_TEXT_LENGTH = 200;
export const MAX_REQUEST_ID_LENGTH = 200;
export const MAX_HEADER_NAME_LENGTH = 100;
export const MAX_HEADER_VALUE_LENGTH = 1000;
/** Headers kept on an error; the rest are counted, not copied. */
export const MAX_HEADERS = 64;
/** At most this much of a body is kept on an error (as text when longer, or not JSON). */
export const MAX_BODY_LENGTH = 64 * 1024;
/** `toJSON()` of an error serialises to at most this many characters (the body and headers give way first). */
export const MAX_JSON_LENGTH = 128 * 1024;
/** JSON bodies nested deeper than this are kept as text (a deep tree could overflow a serialiser's stack). */
export const MAX_BODY_DEPTH = 64;

// Terminal escape sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), two-byte ESC X, and 8-bit CSI.
const ESCAPES =
  // eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
  /\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]|\x9b[0-?]*[ -/]*[@-~]?/g;
// C0 and C1 controls, DEL, zero-width and bidirectional formatting characters, line/paragraph separators.
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const INVISIBLE = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+/g;

/**
 * One printable line of at most `max` characters (plus a note of the original length when cut):
 * escape sequences removed, control and invisible characters turned into spaces, runs of
 * whitespace collapsed.
 */
export function safeLine(text: string, max: number): string {
  // Work on a bounded prefix: cleaning never lengthens text, and a 100 MB body must not cost 100 MB of regex work.
  const prefix = text.length > max * 2 + 256 ? text.slice(0, max * 2 + 256) : text;
  const flat = prefix.replace(ESCAPES, "").replace(INVISIBLE, " ").replace(/\s+/g, " ").trim();
  return flat.length > max || prefix !== text ? `${flat.slice(0, max)}… (${text.length} characters)` : flat;
}

/**
 * One line of at most `max` characters (plus a note of the original length when cut) in which
 * every character outside printable ASCII is written as `\uXXXX`: for short values a server
 * names a state with (a status), where `safeLine` would turn `HEALTHY\u200b` into a `HEALTHY`
 * that reads as the real one.
 */
export function escapedLine(text: string, max: number): string {
  const prefix = text.length > max ? text.slice(0, max) : text;
  const escaped = prefix.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  if (escaped.length <= max && prefix === text) return escaped;
  // Cut between escapes, not inside one: a `\u20` left at the end would read as some other text.
  const cut = escaped.slice(0, max).replace(/\\u[0-9a-f]{0,3}$/, "");
  return `${cut}… (${text.length} characters)`;
}
