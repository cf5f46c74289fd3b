import { createQuerySerializer } from "openapi-fetch";

/**
 * The query string of a call, keys encoded like values.
 *
 * Why: openapi-fetch percent-encodes query values but writes names as given, so a key such as
 * `"limit=1&admin"` (from a caller's untyped `GET`, or a name built from user input) added a
 * parameter of its own. Each key — and each key of a `deepObject` value, `name[key]` — is encoded
 * with `encodeURIComponent` before openapi-fetch's serialiser writes it. A caller's own
 * `querySerializer` on a call replaces this one, as openapi-fetch documents.
 */
export function serializeQuery(query: Record<string, unknown>): string {
  return base(encodedKeys(query, 0));
}

const base = createQuerySerializer();

/** Keys that encode to themselves (RFC 3986 unreserved): the common case, copied nothing. */
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;

function encodedKeys(query: Record<string, unknown>, depth: number): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  const keys = Object.keys(query);
  for (const [index, key] of keys.entries()) {
    const value = query[key];
    const safeKey = UNRESERVED.test(key) ? key : encodeURIComponent(key);
    const nested = depth === 0 && value !== null && typeof value === "object" && !Array.isArray(value);
    const safeValue = nested ? encodedKeys(value as Record<string, unknown>, 1) : value;
    if (copy === undefined && (safeKey !== key || safeValue !== value)) {
      // From the first key that changes: the keys before it are copied as they are, in order.
      copy = {};
      for (const earlier of keys.slice(0, index)) copy[earlier] = query[earlier];
    }
    if (copy) copy[safeKey] = safeValue;
  }
  return copy ?? query;
}
