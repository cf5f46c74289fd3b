import type { ApiName, DocumentName } from "../../generated/operations.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { eventSink, type EventSink } from "../events/event-sink.js";
import { ORGANIZATION_ENV } from "../operations/organization.js";
import type { NetworkDelayOption } from "../throttle/arrival.js";
import { METHOD_CLASSES, type MethodClass, type RateLimits } from "../throttle/limits.js";
import type { RedisThrottleOptions } from "../throttle/redis/options.js";
import type { ThrottleOptions } from "../throttle/throttle.js";
import type { RetryPolicy } from "../transport/retry.js";
import { constantToken, tokenProvider, type TokenGetter } from "../transport/token.js";
import {
  checkApiVersion,
  checkOrganizationId,
  checkRetry,
  checkTimeout,
  checkUserAgent,
  resolveUrls,
} from "./checks.js";
import type { AstroClientOptions, RuntimeOptions, V1beta1ClientOptions } from "./options.js";
import { VERSION } from "./version.js";

/** A `fetch` as the transport calls it. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * A client's options, each checked and defaulted once at construction: everything after
 * `createAstroClient` reads this object and never the options again. Frozen, so no call can
 * change what the next one sees.
 */
export interface ClientConfig {
  /** The current token: a checked constant, or the caller's function checked at each call. */
  readonly token: TokenGetter;
  /** Base URL of each document, without a trailing slash. */
  readonly urls: Readonly<Record<DocumentName, string>>;
  /** `X-API-Version` of every v1 request; `undefined` sends none (the latest minor). */
  readonly apiVersion: string | undefined;
  readonly retry: RetryPolicy;
  /** Per-attempt timeout in ms. */
  readonly timeoutMs: number;
  /** Fills `{organizationId}` when a call omits it. */
  readonly organizationId: string | undefined;
  /** Identification headers sent with every request. */
  readonly headers: Readonly<Record<string, string>>;
  /** The caller's `fetch`, or `undefined` for the global one. */
  readonly fetch: FetchLike | undefined;
  /** The throttle's options (checked by the throttle itself), or `undefined` when throttling is off. */
  readonly throttle: ThrottleOptions | undefined;
  /** The logger given, for the throttle's own notices. */
  readonly logger: RuntimeOptions["logger"];
  /** Reports an event to `onEvent` and the logger; `undefined` when neither is given. */
  readonly emit: EventSink | undefined;
}

function processEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

/**
 * Resolves `createAstroClient`'s options (and the environment) into one frozen config. `v1` says
 * which entry builds it: the v1 client checks `apiVersion` and refuses a `baseUrl` ending in `/v1`.
 * @throws AstroConfigError naming the first unusable option.
 */
export function resolveConfig(
  options: AstroClientOptions | V1beta1ClientOptions,
  env: Record<string, string | undefined> = processEnv(),
  { v1 }: { v1: boolean } = { v1: true },
): ClientConfig {
  const given = readOnce(options);
  checkShapes(given);
  const token = tokenProvider(given.token, env);
  if (v1 && given.urls !== undefined) {
    throw new AstroConfigError(
      "urls is an option of the v1beta1 clients; the v1 API has one base URL: pass baseUrl (e.g. baseUrl: mock.url)",
    );
  }
  const urls = Object.freeze(resolveUrls(given.baseUrl, v1 ? undefined : given.urls, { v1 }));
  const apiVersion = v1 ? checkApiVersion(given.apiVersion) : undefined;
  const retry = checkRetry({
    maxRetries: given.maxRetries,
    initialDelayMs: given.initialDelayMs,
    maxDelayMs: given.maxDelayMs,
    maxRetryAfterMs: given.maxRetryAfterMs,
  });
  const timeoutMs = checkTimeout(given.timeoutMs);
  const userAgent = checkUserAgent(given.userAgent);
  const organizationId = checkOrganizationId(
    given.organizationId === undefined ? env[ORGANIZATION_ENV] : given.organizationId,
    given.organizationId === undefined ? ORGANIZATION_ENV : "organizationId",
  );
  const fetchImpl = given.fetch;
  return Object.freeze({
    token,
    urls,
    apiVersion,
    retry,
    timeoutMs,
    organizationId,
    // The User-Agent alone names the client and its version: each further header costs every
    // call (undici validates, copies and writes it; `npm run bench` measured two more at ~3%).
    headers: Object.freeze({
      "user-agent": `${userAgent ? `${userAgent} ` : ""}astro-api-client/${VERSION}`,
    }),
    fetch: fetchImpl,
    throttle: given.throttle === false ? undefined : (given.throttle ?? {}),
    logger: given.logger,
    // A constant token is known here, so a failing hook's report on a workflow event is redacted too.
    emit: eventSink(given.onEvent, given.logger, constantToken(token)),
  });
}

/**
 * Every option either client reads (each read once, by `readOnce`, which keeps no other: an
 * option of the types missing here would be dropped without a word, so `Unlisted` below fails
 * the build instead).
 */
export const OPTION_NAMES = [
  "token",
  "organizationId",
  "fetch",
  "timeoutMs",
  "throttle",
  "userAgent",
  "onEvent",
  "logger",
  "maxRetries",
  "initialDelayMs",
  "maxDelayMs",
  "maxRetryAfterMs",
  "baseUrl",
  "apiVersion",
  "urls",
] as const satisfies readonly (keyof AllOptions)[];

/** The options of both clients' types. */
type AllOptions = AstroClientOptions & V1beta1ClientOptions;

/** `true` when `Listed` names every key of `T`; otherwise the keys it leaves out. */
type Unlisted<T, Listed> = [Exclude<keyof T, Listed>] extends [never] ? true : Exclude<keyof T, Listed>;

/**
 * The options as read once each: a getter answers what is checked and what is used alike (one
 * that answered a checked value first and another later got the other one used), and a getter
 * that throws is an `AstroConfigError` naming the option — not the caller's own exception,
 * whose message may hold the token.
 */
function readOnce(options: unknown): AllOptions {
  if (options === null || typeof options !== "object") {
    throw new AstroConfigError(`createAstroClient() takes an options object, got ${kind(options)}`);
  }
  const read = readFields(options, OPTION_NAMES, "options");
  // The objects of options the same way: throttle and urls, then throttle's own objects.
  readNested(read, NESTED_FIELDS, "options");
  if (isFieldObject(read.throttle)) readNested(read.throttle, THROTTLE_NESTED_FIELDS, "options.throttle");
  return read;
}

/** An object whose fields `readFields` reads (not `null`, not an array). */
function isFieldObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Replaces each object of `parent` named in `table` with its fields as read once. */
function readNested(
  parent: Record<string, unknown>,
  table: readonly [string, readonly string[]][],
  where: string,
): void {
  for (const [name, fields] of table) {
    const value = parent[name];
    if (isFieldObject(value)) parent[name] = readFields(value, fields, `${where}.${name}`);
  }
}

/** The fields of `throttle` and of `urls`, which `readOnce` reads once too (and keeps no other). */
const THROTTLE_FIELDS = [
  "limits",
  "marginMs",
  "networkDelayMs",
  "redis",
  "prefix",
  "onRedisError",
] as const satisfies readonly (keyof ThrottleOptions)[];
const URLS_FIELDS = ["platform", "iam"] as const satisfies readonly ApiName[];
/** The fields of throttle's own objects: `redis`, and `networkDelayMs` when it is `{ min, max }`. */
const REDIS_FIELDS = [
  "url",
  "client",
  "timeoutMs",
  "keyTtlMs",
  "reclaimAfterMs",
] as const satisfies readonly (keyof RedisThrottleOptions)[];
type DelayRange = Extract<NetworkDelayOption, object>;
const DELAY_FIELDS = ["min", "max"] as const satisfies readonly (keyof DelayRange)[];

// Each list names every field of its type: the build fails here when one is added to the type only.
const everyOptionListed: Unlisted<AllOptions, (typeof OPTION_NAMES)[number]> = true;
const everyThrottleFieldListed: Unlisted<ThrottleOptions, (typeof THROTTLE_FIELDS)[number]> = true;
const everyUrlListed: Unlisted<Record<ApiName, string>, (typeof URLS_FIELDS)[number]> = true;
const everyLimitListed: Unlisted<RateLimits, MethodClass> = true;
const everyRedisFieldListed: Unlisted<RedisThrottleOptions, (typeof REDIS_FIELDS)[number]> = true;
const everyDelayFieldListed: Unlisted<DelayRange, (typeof DELAY_FIELDS)[number]> = true;
void [
  everyOptionListed,
  everyThrottleFieldListed,
  everyUrlListed,
  everyLimitListed,
  everyRedisFieldListed,
  everyDelayFieldListed,
];

/** The fields of the options that are objects of options themselves. */
const NESTED_FIELDS: readonly [string, readonly string[]][] = [
  ["throttle", THROTTLE_FIELDS],
  ["urls", URLS_FIELDS],
];
/** The fields of throttle's options that are objects themselves (`networkDelayMs` when a range). */
const THROTTLE_NESTED_FIELDS: readonly [string, readonly string[]][] = [
  ["limits", METHOD_CLASSES],
  ["networkDelayMs", DELAY_FIELDS],
  ["redis", REDIS_FIELDS],
];

/** `names` of `object`, each read once, those `undefined` left out; a getter that throws is an AstroConfigError. */
function readFields(object: object, names: readonly string[], where: string): Record<string, unknown> {
  const read: Record<string, unknown> = {};
  for (const name of names) {
    try {
      const value = (object as Record<string, unknown>)[name];
      if (value !== undefined) read[name] = value;
    } catch {
      throw new AstroConfigError(`reading ${where}.${name} threw; give each option as a plain value`);
    }
  }
  return read;
}

/** Options of the wrong kind fail here with a message, not later as a `TypeError` deep in a call. */
function checkShapes(options: object): asserts options is RuntimeOptions {
  const given = options as Record<string, unknown>;
  for (const name of ["fetch", "onEvent"] as const) {
    if (given[name] !== undefined && typeof given[name] !== "function") {
      throw new AstroConfigError(`${name} must be a function, got ${kind(given[name])}`);
    }
  }
  if (given.logger !== undefined && (given.logger === null || typeof given.logger !== "object")) {
    throw new AstroConfigError(
      `logger must be an object with debug/info/warn/error methods, got ${kind(given.logger)}`,
    );
  }
  const throttle = given.throttle;
  if (throttle !== undefined && throttle !== false && (throttle === null || typeof throttle !== "object")) {
    throw new AstroConfigError(
      `throttle must be an object of options, or false to send unthrottled; got ${kind(throttle)}`,
    );
  }
}

function kind(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

/** The retry policy and timeout of one call: the config's, or the call's own overrides, checked. */
export function callSettings(
  config: ClientConfig,
  overrides: { maxRetries?: unknown; timeoutMs?: unknown },
): { readonly retry: RetryPolicy; readonly timeoutMs: number } {
  // Most calls override nothing: the config itself carries both, no object is made.
  if (overrides.maxRetries === undefined && overrides.timeoutMs === undefined) return config;
  return {
    retry:
      overrides.maxRetries === undefined
        ? config.retry
        : checkRetry({ maxRetries: overrides.maxRetries as number }, config.retry),
    timeoutMs: overrides.timeoutMs === undefined ? config.timeoutMs : checkTimeout(overrides.timeoutMs),
  };
}
