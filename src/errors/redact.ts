/** What a secret is replaced by wherever the SDK repeats text it did not write. */
export const REDACTED = "[REDACTED]";

/**
 * Secrets shorter than this are redacted only where they stand alone (not inside a word): cut
 * out everywhere, a one-letter token would turn every `t` of a message into `[REDACTED]`, and no
 * redaction hides a secret that short anyway (it is guessed in a few tries). Astro API tokens are
 * hundreds of characters; SAS signatures and Redis passwords worth the name are longer than this.
 */
export const MIN_SECRET_LENGTH = 8;

/** One encoder for every secret's UTF-8 spelling (stateless, so shared). */
const UTF8 = new TextEncoder();

/**
 * Replaces every occurrence of each secret in `text`, in every spelling a server or a library
 * may echo it in: as is; with any of its characters percent-encoded (either case of hex: `%2F`,
 * `%2f`), `\u`-escaped (`\u002f`, `\u002F`), JSON-escaped (`\"`, `\\`, `\/`) or as an HTML
 * character reference (`&#47;`, `&#x2f;`) — each character in any of these, so partly encoded
 * values are caught too. The one redaction routine of the SDK: the API token, the SAS signature of
 * an upload URL and the Redis password all go through it, and errors, events and log lines all
 * use it. `secrets` is a secret or the list `secretForms` makes of one.
 */
export function redact(text: string, secrets: string | readonly string[] | undefined): string {
  if (secrets === undefined) return text;
  const list = typeof secrets === "string" ? [secrets] : secrets;
  let result = text;
  // Literal spellings first, the common case; then, only when the text holds an escape
  // introducer, the spellings that escape some characters (and every short secret).
  for (const secret of list) {
    if (secret.length >= MIN_SECRET_LENGTH && result.includes(secret))
      result = result.split(secret).join(REDACTED);
  }
  const escaped = /[%\\&]/.test(result);
  const wanted = list.filter((secret) => secret !== "" && (escaped || secret.length < MIN_SECRET_LENGTH));
  return wanted.length === 0 ? result : redactDecoded(result, wanted);
}

/** Which escapes a pass decodes (the others are read as literal text). */
interface Reading {
  readonly percent: boolean;
  /** JSON's `\"`, `\\` and `\/`. */
  readonly short: boolean;
}

/** An escape sequence at a position: `%XX`, `\uXXXX`, `\"` `\\` `\/`, `&#NN;` or `&#xHH;`. */
const ESCAPE = /%([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\(["\\/])|&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));/y;

/**
 * `text` with every escape decoded, and for each decoded UTF-16 unit where it came from in
 * `text` (`from[i]` to `to[i]`). A `%XX` decodes to the byte's Latin-1 character, so a secret
 * beyond ASCII is also looked for as its UTF-8 bytes.
 */
function decodeWithSpans(
  text: string,
  reading: Reading,
): { decoded: string; from: Uint32Array; to: Uint32Array } {
  const from = new Uint32Array(text.length);
  const to = new Uint32Array(text.length);
  const units: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    let char = text[i]!;
    let next = i + 1;
    if (c === 0x25 || c === 0x5c || c === 0x26) {
      ESCAPE.lastIndex = i;
      const match = ESCAPE.exec(text);
      if (match) {
        const [whole, percent, unicode, short, htmlHex, htmlDec] = match;
        const code =
          percent !== undefined
            ? parseInt(percent, 16)
            : unicode !== undefined
              ? parseInt(unicode, 16)
              : htmlHex !== undefined
                ? parseInt(htmlHex, 16)
                : htmlDec !== undefined
                  ? Number(htmlDec)
                  : short!.charCodeAt(0);
        const skipped =
          (!reading.short && short !== undefined) || (!reading.percent && percent !== undefined);
        if (code <= 0x10ffff && !skipped) {
          char = String.fromCodePoint(code);
          next = i + whole.length;
        }
      }
    }
    for (let unit = 0; unit < char.length; unit++) {
      from[units.length] = i;
      to[units.length] = next;
      units.push(char[unit]!);
    }
    i = next;
  }
  return { decoded: units.join(""), from, to };
}

const WORD = /[A-Za-z0-9]/;

/** Redacts `secrets` from `text` as they read once every escape is decoded. */
function redactDecoded(text: string, secrets: readonly string[]): string {
  const spans: [number, number][] = [];
  // `\\u0041` is a JSON-escaped backslash before `u0041`, or a literal backslash before an
  // escaped `A`; `\"%41` is an escaped quote before an escaped `A`, or before a literal `%41`
  // (a secret may hold `%`): each reading the text allows is searched.
  const readings: Reading[] = [{ percent: true, short: true }];
  if (text.includes("\\")) readings.push({ percent: true, short: false });
  if (text.includes("%")) readings.push({ percent: false, short: true });
  for (const reading of readings) findSpans(text, secrets, reading, spans);
  if (spans.length === 0) return text;
  return replaceSpans(text, spans);
}

/** Adds to `spans` where `secrets` are in `text` once decoded. */
function findSpans(
  text: string,
  secrets: readonly string[],
  reading: Reading,
  spans: [number, number][],
): void {
  const { decoded, from, to } = decodeWithSpans(text, reading);
  for (const secret of secrets) {
    const ascii = [...secret].every((char) => char.charCodeAt(0) < 0x80);
    const spellings = ascii ? [secret] : [secret, String.fromCharCode(...UTF8.encode(secret))];
    for (const spelling of spellings) {
      for (let at = decoded.indexOf(spelling); at !== -1; at = decoded.indexOf(spelling, at + 1)) {
        const end = at + spelling.length;
        // A short secret only where it stands alone: not inside a word.
        if (
          secret.length < MIN_SECRET_LENGTH &&
          (WORD.test(decoded[at - 1] ?? "") || WORD.test(decoded[end] ?? ""))
        )
          continue;
        spans.push([from[at]!, to[end - 1]!]);
      }
    }
  }
}

/** Replaces `spans` of `text` (start, end; in any order, overlapping or not) with `REDACTED`. */
function replaceSpans(text: string, spans: [number, number][]): string {
  spans.sort((a, b) => a[0] - b[0]);
  let result = "";
  let done = 0;
  for (const [start, end] of spans) {
    if (end <= done) continue;
    result += text.slice(done, Math.max(done, start)) + (start >= done ? REDACTED : "");
    done = end;
  }
  return result + text.slice(done);
}

/**
 * The spellings of a secret `redact` looks for: the secret, and its base64 (standard and URL
 * alphabets, at each of the three alignments it can have inside a longer encoded value, e.g.
 * `Basic base64(user:token)`), for secrets long enough that those cores cannot occur by chance.
 */
export function secretForms(secret: string): readonly string[] {
  if (secret === lastSecret) return lastForms;
  const forms = new Set([secret]);
  if (secret.length >= MIN_SECRET_LENGTH) {
    for (const core of base64Cores(secret)) {
      if (core.length < MIN_SECRET_LENGTH) continue;
      forms.add(core);
      forms.add(core.replaceAll("+", "-").replaceAll("/", "_"));
    }
  }
  lastSecret = secret;
  lastForms = Object.freeze([...forms]);
  return lastForms;
}

// The forms of the secret seen last: a client sends the same token call after call.
let lastSecret = "";
let lastForms: readonly string[] = [];

/** The base64 characters that depend on the secret's bytes alone, at offsets 0, 1 and 2 of a 3-byte group. */
function base64Cores(secret: string): string[] {
  const bytes = UTF8.encode(secret);
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    let binary = "\0".repeat(offset);
    for (const byte of bytes) binary += String.fromCharCode(byte);
    const encoded = btoa(binary);
    const first = Math.ceil((offset * 8) / 6);
    const last = Math.floor(((offset + bytes.length) * 8) / 6);
    cores.push(encoded.slice(first, last));
  }
  return cores;
}

/**
 * Redacts every string (keys included) of a freshly parsed JSON value in place, walking it
 * without recursion. Returns `false`, leaving the value partly walked, when it is nested deeper
 * than `maxDepth`: the caller then keeps the (redacted) text instead.
 */
export function redactParsed(value: unknown, secrets: readonly string[], maxDepth: number): boolean {
  const stack: [Record<string, unknown> | unknown[], number][] = [];
  if (value !== null && typeof value === "object") stack.push([value as Record<string, unknown>, 1]);
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > maxDepth) return false;
    for (const key of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[key];
      let target = key;
      if (!Array.isArray(node)) {
        const safeKey = redact(key, secrets);
        if (safeKey !== key) {
          delete node[key];
          node[safeKey] = child;
          target = safeKey;
        }
      }
      if (typeof child === "string") (node as Record<string, unknown>)[target] = redact(child, secrets);
      else if (child !== null && typeof child === "object")
        stack.push([child as Record<string, unknown>, depth + 1]);
    }
  }
  return true;
}
