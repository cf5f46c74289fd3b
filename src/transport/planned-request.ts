/**
 * Characters the WHATWG URL parser leaves as they are in an http(s) URL's path and query, with no
 * `'` (encoded in the query of special schemes), `#`, space, `\`, non-ASCII or control character.
 */
const AS_PARSED = /^https?:\/\/[\w\-.~!$&()*+,;=:@/?%[\]]*$/;
/** What the parser would resolve as a dot segment (`/.`, `/..`, `/%2e`…): such URLs are parsed. */
const DOT_SEGMENT = /\/\.|%2e/i;
/** The keys of the init openapi-fetch builds for a call with no options beyond the usual ones. */
const PLAIN_KEYS: ReadonlySet<string> = new Set(["redirect", "method", "body", "headers"]);

/**
 * Whether `new Request(url, init)` would take `init` as it is and keep `url` as written: then
 * nothing needs building until `fetch`, which validates the same URL and init itself.
 */
function isPlain(url: string, init: RequestInit): init is RequestInit & { headers: Headers } {
  for (const key in init) if (!PLAIN_KEYS.has(key)) return false;
  const { method, body } = init;
  return (
    init.redirect === "manual" &&
    init.headers instanceof Headers &&
    (body === undefined || (typeof body === "string" && method !== "GET" && method !== "HEAD")) &&
    AS_PARSED.test(url) &&
    !DOT_SEGMENT.test(url)
  );
}

/**
 * The `Request` class openapi-fetch is given (its `Request` option): what it builds for a call
 * is handed to the call's `fetch` (src/transport/call.ts) as URL and init, so a call builds one
 * undici `Request` — the one `fetch(url, init)` builds — instead of two (openapi-fetch's, then
 * the one `fetch` copies from it), each with its parsed URL, header list and `AbortController`.
 *
 * A call whose init `fetch(url, init)` might read differently (options beyond method, headers
 * and a string body; a body on GET; a URL the parser would rewrite) gets a real `Request`, built
 * here as openapi-fetch would have built it: a request that cannot be built still throws inside
 * openapi-fetch, before anything is sent (src/operations/api-client.ts reports it as such).
 */
export class PlannedRequest {
  readonly url: string;
  readonly method: string;
  /** openapi-fetch's merged headers, which the attempts complete (User-Agent, Authorization). */
  readonly headers: Headers;
  /** The serialised body, for a plain request; a built one keeps it in `built`. */
  readonly body: string | undefined;
  /** The real `Request`, for a call that is not plain. */
  readonly built: Request | undefined;

  constructor(url: string, init: RequestInit) {
    if (isPlain(url, init)) {
      this.url = url;
      this.method = init.method!;
      this.headers = init.headers;
      this.body = init.body as string | undefined;
      this.built = undefined;
    } else {
      const built = new Request(url, init);
      this.url = built.url;
      this.method = built.method;
      this.headers = built.headers;
      this.body = undefined;
      this.built = built;
    }
  }
}
