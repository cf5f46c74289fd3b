/** What a secret is replaced by wherever the SDK repeats text it did not write. */
export const REDACTED = "[REDACTED]";

/**
 * Replaces every occurrence of each secret in `text` (a server may echo the token back, a Redis
 * error may quote its URL's password). The one redaction rule of the SDK: errors, events and log
 * lines all go through here.
 */
export function redact(text: string, secrets: string | readonly string[] | undefined): string {
  if (secrets === undefined || secrets === "") return text;
  if (typeof secrets === "string") return text.includes(secrets) ? text.split(secrets).join(REDACTED) : text;
  let result = text;
  for (const secret of secrets) {
    if (secret !== "" && result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/**
 * The spellings in which a server may echo a token as text: as is, JSON-escaped (`"` and `\`,
 * and `/` as `\/`), and percent-encoded. Parsed JSON is redacted value by value as well
 * (`redactParsed`), which covers every other escape.
 */
export function secretForms(token: string): readonly string[] {
  if (token === lastToken) return lastForms;
  const forms = new Set([token]);
  const json = JSON.stringify(token).slice(1, -1);
  forms.add(json);
  forms.add(json.replaceAll("/", "\\/"));
  forms.add(encodeURIComponent(token));
  lastToken = token;
  lastForms = Object.freeze([...forms]);
  return lastForms;
}

// The forms of the token seen last: a client sends the same token call after call.
let lastToken = "";
let lastForms: readonly string[] = [];

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
