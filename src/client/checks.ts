import { describeValue } from "../errors/describe-value.js";
import type { ApiName, DocumentName } from "../../generated/operations.js";
import { specs } from "../../generated/specs.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { REDACTED } from "../errors/redact.js";
import { safeLine } from "../errors/server-text.js";
import { checkPathSegment } from "../operations/path-params.js";
import type { RetryOptions, RetryPolicy } from "../transport/retry.js";
import { MAX_TIMER_MS } from "../transport/timers.js";
import { DEFAULT_RETRY } from "../transport/retry.js";

/**
 * Every check of a value a caller passes, client-wide or per call, so each option has one rule
 * and one message wherever it is given.
 */

export const DEFAULT_TIMEOUT_MS = 60_000;

/** A base URL: http(s), no credentials, no query or fragment (they would end up inside every path). */
export function checkUrl(value: unknown, option: string): string {
  if (typeof value !== "string")
    throw new AstroConfigError(`${option} must be a string, got ${typeof value}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AstroConfigError(
      `${option} is not a valid URL: ${JSON.stringify(safeLine(withoutUserinfo(value), 200))}`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AstroConfigError(`${option} must be an http(s) URL, got ${safeLine(url.protocol, 50)}`);
  }
  if (url.username || url.password) {
    throw new AstroConfigError(`${option} must not carry credentials; pass the token with options.token`);
  }
  if (url.search !== "" || url.hash !== "" || /[?#]/.test(url.href)) {
    throw new AstroConfigError(`${option} must not have a query or a fragment: paths are appended to it`);
  }
  // The parsed form: what is checked is what is used (no `{…}` left for the path serialiser to fill).
  return url.href.replace(/\/+$/, "");
}

/**
 * A URL as a message may show it: everything up to its last `@` (where a user and password
 * would be written, whether or not the rest parses) replaced, the scheme kept.
 */
function withoutUserinfo(text: string): string {
  const at = text.lastIndexOf("@");
  if (at === -1) return text;
  const scheme = /^[a-z][a-z0-9+.-]*:\/*/i.exec(text)?.[0] ?? "";
  return `${scheme.length <= at ? scheme : ""}${REDACTED}@${text.slice(at + 1)}`;
}

/**
 * Base URL of each document: `urls[api]` (v1beta1 only), else `baseUrl` + the document's path
 * (`/v1`, `/platform/v1beta1`, `/iam/v1beta1`), else the spec's server. `baseUrl` is the host the
 * SDK appends those paths to; with `v1: true` one that already ends in `/v1` (as Astronomer's
 * docs write the v1 base URL) is refused, since `/v1/v1/...` would answer 404 on every call.
 */
export function resolveUrls(
  baseUrl: unknown,
  urls: unknown,
  { v1 }: { v1: boolean } = { v1: false },
): Record<DocumentName, string> {
  if (urls !== undefined && (urls === null || typeof urls !== "object")) {
    throw new AstroConfigError(
      `urls must be an object like { platform, iam }, got ${urls === null ? "null" : typeof urls}`,
    );
  }
  const base = baseUrl === undefined ? undefined : checkUrl(baseUrl, "baseUrl");
  if (v1 && base !== undefined && /\/v1$/i.test(new URL(base).pathname)) {
    throw new AstroConfigError(
      `baseUrl must not end in /v1 (got ${safeLine(base, 200)}): the client appends /v1 itself; ` +
        `pass ${safeLine(base.slice(0, -3), 200)} instead`,
    );
  }
  const resolve = (api: DocumentName): string => {
    const explicit =
      api === "v1" ? undefined : (urls as Partial<Record<ApiName, unknown>> | undefined)?.[api];
    if (explicit !== undefined) return checkUrl(explicit, `urls.${api}`);
    const server = specs[api].server;
    return base === undefined ? server : `${base}${new URL(server).pathname}`;
  };
  return { v1: resolve("v1"), platform: resolve("platform"), iam: resolve("iam") };
}

/** The minor version pinned by the generated manifest, sent as `X-API-Version` by default. */
export const PINNED_API_VERSION: string = specs.v1.apiVersion;

/**
 * The `X-API-Version` a v1 request carries: the pinned minor by default, another `1.N` when
 * asked, or none for `"latest"` (the API then answers with its newest minor, which may add
 * fields, enum values and operations the generated types do not know).
 */
export function checkApiVersion(value: unknown): string | undefined {
  if (value === undefined) return PINNED_API_VERSION;
  if (value === "latest") return undefined;
  if (typeof value !== "string" || !/^1\.(0|[1-9]\d{0,3})$/.test(value)) {
    throw new AstroConfigError(
      `apiVersion must be a v1 minor like "1.0" (sent as X-API-Version) or "latest" to omit the header, got ${
        typeof value === "string" ? JSON.stringify(safeLine(value, 50)) : typeof value
      }`,
    );
  }
  return value;
}

export function checkTimeout(value: unknown): number {
  const timeout = value ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0) {
    throw new AstroConfigError(`timeoutMs must be a number of milliseconds > 0, got ${describe(timeout)}`);
  }
  if (timeout > MAX_TIMER_MS) {
    throw new AstroConfigError(
      `timeoutMs must be at most ${MAX_TIMER_MS} ms (what a timer can hold), got ${timeout}`,
    );
  }
  return timeout;
}

/** A User-Agent prefix must be a header-safe product token list. */
export function checkUserAgent(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^[\x20-\x7e]+$/.test(value) || value.trim() === "") {
    throw new AstroConfigError("userAgent must be non-empty printable ASCII (it is sent as a header)");
  }
  return value.trim();
}

export function checkOrganizationId(value: unknown, origin: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^[\x21-\x7e]+$/.test(value)) {
    throw new AstroConfigError(
      `${origin} must be a non-empty id without spaces, got ${describeValue(value)}`,
    );
  }
  checkPathSegment(value, origin);
  return value;
}

/** The retry options given over `base`, each a finite number ≥ 0 (`maxRetries` a whole one). */
export function checkRetry(
  options: RetryOptions | undefined,
  base: RetryPolicy = DEFAULT_RETRY,
): RetryPolicy {
  const given = Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value !== undefined));
  const policy = { ...base, ...given } as RetryPolicy;
  for (const [name, value] of Object.entries(policy)) {
    if (
      typeof value !== "number" ||
      !Number.isFinite(value) ||
      value < 0 ||
      (name === "maxRetries" && !Number.isInteger(value))
    ) {
      throw new AstroConfigError(
        `${name} must be a ${name === "maxRetries" ? "whole number" : "number"} ≥ 0, got ${describe(value)}`,
      );
    }
    if (name !== "maxRetries" && value > MAX_TIMER_MS) {
      throw new AstroConfigError(
        `${name} must be at most ${MAX_TIMER_MS} ms (what a timer can hold), got ${value}`,
      );
    }
  }
  return Object.freeze(policy);
}

/** The default page size: what Astronomer's own Terraform provider requests (the API's default is 20). */
export const DEFAULT_PAGE_SIZE = 1000;

export function checkPageSize(value: unknown): number {
  if (value === undefined) return DEFAULT_PAGE_SIZE;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new AstroConfigError(`pageSize must be a whole number ≥ 1, got ${describe(value)}`);
  }
  return value;
}

/**
 * The caller's signal, if it is one: anything else (a look-alike `{ aborted, reason }`, another
 * realm's) would fail deep inside a call, a page walk, a poll or an upload as a `TypeError`.
 */
export function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  throw new AstroConfigError(`signal must be an AbortSignal, got ${describe(signal)}`);
}

/** Where `paginate` starts: the `offset` query parameter given, or 0. */
export function checkOffset(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new AstroConfigError(`offset must be a whole number ≥ 0, got ${describe(value)}`);
  }
  return value;
}

/** A value for a message: numbers as written, anything else by its type. */
function describe(value: unknown): string {
  return typeof value === "number" ? String(value) : typeof value;
}
