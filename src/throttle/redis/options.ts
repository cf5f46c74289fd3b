import { describeValue } from "../../errors/describe-value.js";
import { AstroConfigError } from "../../errors/error-classes.js";
import { secretForms } from "../../errors/redact.js";
import { describeRedisUrl, type RedisTarget } from "./url.js";

/**
 * The part of an ioredis client this SDK relies on: pass a `new Redis(...)` from ioredis ≥ 5
 * (not a `Redis.Cluster`: Bottleneck's keys for one budget must live on one node).
 */
export interface IORedisClientLike {
  /** ioredis's connection state (`"ready"`, `"end"`…), read to tell a usable client from a closed one. */
  readonly status: string;
  /** A second connection with the same settings, used for Bottleneck's pub/sub. */
  duplicate(): unknown;
  /** Registers the Lua scripts of the shared window. */
  defineCommand(name: string, definition: { lua: string; numberOfKeys?: number }): unknown;
  /** Listens for connection events (`error`, `close`, `end`, `ready`). */
  on(event: string, listener: (...args: never[]) => void): unknown;
}

/** `throttle.redis`: where the budgets shared by every process using the same token live. */
export interface RedisThrottleOptions {
  /**
   * `redis://[[user]:password@]host[:port][/db]`, or `rediss://…` for TLS. The client opens two
   * connections (commands and pub/sub) at its first call; `astro.close()` closes them.
   */
  url?: string;
  /**
   * An existing ioredis client instead of `url`. The SDK duplicates it for pub/sub and never
   * closes it: that stays yours to do.
   */
  client?: IORedisClientLike;
  /**
   * Longest a call waits for Redis — to connect at the first call, or to come back after the
   * connection was lost — before it rejects with an `AstroRedisError` (or, with
   * `onRedisError: "local"`, uses the in-process limiter). Default 5,000 ms.
   */
  timeoutMs?: number;
  /**
   * How long a token's budget stays in Redis after its last request (default 300,000 ms). Idle
   * longer, its keys expire and the next request creates them again.
   */
  keyTtlMs?: number;
  /**
   * A unit taken by a process that dies before giving it back is reclaimed by Redis this long
   * after it was granted (default 15,000 ms). It must exceed the longest a request can take to
   * reach the server (connecting included: undici gives up connecting after 10 s) plus a window:
   * a live process's request that has not ended by then no longer holds its unit.
   */
  reclaimAfterMs?: number;
}

/** What to do when Redis cannot be used: reject the call, or fall back to the in-process limiter. */
export type RedisErrorMode = "throw" | "local";

export const DEFAULT_REDIS_PREFIX = "astro-api-client";
export const DEFAULT_REDIS_TIMEOUT_MS = 5000;
export const DEFAULT_KEY_TTL_MS = 300_000;
export const DEFAULT_RECLAIM_AFTER_MS = 15_000;

export interface ResolvedRedisOptions {
  url: string | undefined;
  client: IORedisClientLike | undefined;
  target: RedisTarget;
  prefix: string;
  onRedisError: RedisErrorMode;
  timeoutMs: number;
  keyTtlMs: number;
  windowMs: number;
  /** How long Redis keeps a unit whose process never gave it back (`reclaimAfterMs`). */
  leaseMs: number;
}

function positive(value: unknown, name: string, fallback: number, min = 1): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== "number" || !Number.isFinite(resolved) || resolved < min) {
    throw new AstroConfigError(
      `${name} must be a number of milliseconds ≥ ${min}, got ${describeValue(resolved)}`,
    );
  }
  return resolved;
}

/** What the client was given to reach Redis, described without its password. */
function describeClient(client: IORedisClientLike): RedisTarget {
  const options = (
    client as { options?: { host?: unknown; port?: unknown; password?: unknown; path?: unknown } }
  ).options;
  const where =
    typeof options?.path === "string"
      ? options.path
      : `${typeof options?.host === "string" ? options.host : "?"}:${typeof options?.port === "number" ? options.port : "?"}`;
  const password =
    typeof options?.password === "string" && options.password !== ""
      ? [...secretForms(options.password)]
      : [];
  return { display: `the ioredis client of throttle.redis.client (${where})`, secrets: password };
}

/** Checks the Redis part of the throttle options; `undefined` when Redis is not used. */
export function checkRedisOptions(
  options: { redis?: RedisThrottleOptions; prefix?: string; onRedisError?: RedisErrorMode },
  windowMs: number,
): ResolvedRedisOptions | undefined {
  const { redis, prefix, onRedisError } = options;
  if (redis === undefined) {
    if (prefix !== undefined || onRedisError !== undefined) {
      throw new AstroConfigError(
        `throttle.${prefix !== undefined ? "prefix" : "onRedisError"} applies to shared limits only: set throttle.redis too`,
      );
    }
    return undefined;
  }
  if (typeof redis !== "object" || redis === null) {
    throw new AstroConfigError("throttle.redis must be an object: { url } or { client }");
  }
  if ((redis.url === undefined) === (redis.client === undefined)) {
    throw new AstroConfigError(
      "throttle.redis needs exactly one of url (a redis:// URL) or client (an ioredis client)",
    );
  }
  let target: RedisTarget;
  if (redis.url !== undefined) {
    const described = typeof redis.url === "string" ? describeRedisUrl(redis.url) : undefined;
    // Never echo an unparsable URL: it may hold a password.
    if (!described || !/^rediss?:\/\/[^/]/.test(redis.url)) {
      throw new AstroConfigError("throttle.redis.url must be a redis:// or rediss:// URL with a host");
    }
    target = described;
  } else {
    const client = redis.client as Partial<IORedisClientLike> | null;
    if (
      typeof client !== "object" ||
      client === null ||
      typeof client.duplicate !== "function" ||
      typeof client.defineCommand !== "function" ||
      typeof client.on !== "function"
    ) {
      throw new AstroConfigError(
        "throttle.redis.client must be an ioredis client (new Redis(…)); Redis.Cluster clients are not supported",
      );
    }
    target = describeClient(redis.client as IORedisClientLike);
  }
  const resolvedPrefix = prefix ?? DEFAULT_REDIS_PREFIX;
  if (typeof resolvedPrefix !== "string" || !/^[\x21-\x7e]{1,100}$/.test(resolvedPrefix)) {
    throw new AstroConfigError("throttle.prefix must be 1–100 visible ASCII characters, without spaces");
  }
  const mode = onRedisError ?? "throw";
  if (mode !== "throw" && mode !== "local") {
    throw new AstroConfigError(
      `throttle.onRedisError must be "throw" or "local", got ${describeValue(mode)}`,
    );
  }
  const leaseMs = positive(
    redis.reclaimAfterMs,
    "throttle.redis.reclaimAfterMs",
    DEFAULT_RECLAIM_AFTER_MS,
    windowMs + 1000,
  );
  return {
    url: redis.url,
    client: redis.client,
    target,
    prefix: resolvedPrefix,
    onRedisError: mode,
    timeoutMs: positive(redis.timeoutMs, "throttle.redis.timeoutMs", DEFAULT_REDIS_TIMEOUT_MS),
    keyTtlMs: positive(redis.keyTtlMs, "throttle.redis.keyTtlMs", DEFAULT_KEY_TTL_MS, leaseMs),
    windowMs,
    leaseMs,
  };
}
