import type { Limiter, LimiterCounts, LimiterFactory, LimiterKey } from "./limiter.js";
import {
  DEFAULT_MARGIN_MS,
  METHOD_CLASSES,
  checkLimits,
  type MethodClass,
  type RateLimits,
} from "./limits.js";
import { SlidingWindowLimiter } from "./sliding-window.js";
import { createRedisLimiters, type RedisLimiters } from "./redis.js";
import type { RedisNotices } from "./redis-backend.js";
import type { RedisLoader } from "./redis-loader.js";
import { checkRedisOptions, type RedisErrorMode, type RedisThrottleOptions } from "./redis-options.js";
import { AstroConfigError } from "../errors/error-classes.js";
import type { AstroLogger } from "../events/astro-event.js";

/** `throttle` option of `createAstroClient`. */
export interface ThrottleOptions {
  /** Requests per second per token; defaults are Astronomer's limits (GET 25, POST 10, DELETE 5). */
  limits?: Partial<RateLimits>;
  /** Extra milliseconds added to each 1,000 ms window as a safety margin (default 5). */
  marginMs?: number;
  /**
   * Share each token's budgets with every process that uses the same token and Redis (a CI
   * fleet, a worker pool): `{ url: "redis://…" }` or `{ client: new Redis(…) }`. Needs the optional
   * peer dependency `ioredis` (`npm install ioredis`). Connects at the first call; call
   * `astro.close()` when done so the process can exit. All processes must use the same `limits`.
   */
  redis?: RedisThrottleOptions;
  /**
   * Namespace of the keys in Redis (default `"astro-api-client"`). Keys are named after it, a hash
   * of the token (never the token) and the method class. Only with `redis`.
   */
  prefix?: string;
  /**
   * When Redis cannot be used — unreachable at the first call, or lost later: `"throw"` (default)
   * rejects the calls that wait for it with an `AstroRedisError` (the request is not sent);
   * `"local"` logs a warning and uses the in-process limiter until Redis is back (each process
   * then keeps the limits on its own, so together they may exceed them). Only with `redis`.
   */
  onRedisError?: RedisErrorMode;
}

/** What a throttle needs from its client besides options. */
export interface ThrottleContext {
  /** Where fallback warnings go (`warn`, and `info` when Redis is back); without one, `process.emitWarning`. */
  logger?: AstroLogger;
  /** Loads ioredis (tests replace it to simulate a missing package). */
  loadRedis?: RedisLoader;
}

const WINDOW_MS = 1000;

/**
 * Limiters of this process, keyed by token hash, class and configuration: clients built with the
 * same token share a budget; different tokens never slow each other.
 */
const registry = new Map<string, Limiter>();

const localFactory: LimiterFactory = (key) => SlidingWindowLimiter.local(key.limit, key.windowMs);

/** The process-wide limiter of `namespace` for a key, made by `factory` at first use. */
function shared(namespace: string, key: LimiterKey, factory: LimiterFactory): Limiter {
  const id = `${namespace}:${key.tokenHash}:${key.methodClass}:${key.limit}:${key.windowMs}`;
  let limiter = registry.get(id);
  if (!limiter) {
    limiter = factory(key);
    registry.set(id, limiter);
  }
  return limiter;
}

/** Fallback warnings go to the client's logger, or to `process.emitWarning` without one. */
function notices(logger: AstroLogger | undefined): RedisNotices {
  const emit = (level: "warn" | "info", message: string) => {
    const log = logger?.[level];
    if (log) log.call(logger, { type: "throttle-redis", level }, message);
    else if (level === "warn") {
      const node = (globalThis as { process?: { emitWarning?: (message: string, options: object) => void } })
        .process;
      if (node?.emitWarning) node.emitWarning(message, { code: "ASTRO_REDIS_FALLBACK" });
      else console.warn(message);
    }
  };
  return { warn: (message) => emit("warn", message), info: (message) => emit("info", message) };
}

/** The per-token throttle of one client. */
export class Throttle {
  readonly limits: RateLimits;
  readonly #windowMs: number;
  readonly #factory: LimiterFactory;
  readonly #namespace: string;
  readonly #used = new Map<string, Limiter>();
  /** With `redis`: this client's own limiters (Redis is what they share), and their connection. */
  readonly #redis: { limiters: RedisLimiters; own: Map<string, Limiter> } | undefined;

  constructor(
    options: ThrottleOptions = {},
    factory: LimiterFactory = localFactory,
    namespace = "local",
    context: ThrottleContext = {},
  ) {
    this.limits = checkLimits(options.limits);
    const margin = options.marginMs ?? DEFAULT_MARGIN_MS;
    if (!Number.isFinite(margin) || margin < 0) {
      throw new AstroConfigError(
        `throttle.marginMs must be a number of milliseconds ≥ 0, got ${String(margin)}`,
      );
    }
    this.#windowMs = WINDOW_MS + margin;
    this.#factory = factory;
    this.#namespace = namespace;
    const redis = checkRedisOptions(options, this.#windowMs);
    if (redis) {
      const local = (key: LimiterKey) => shared("local", key, localFactory);
      this.#redis = {
        limiters: createRedisLimiters(redis, notices(context.logger), local, context.loadRedis),
        own: new Map(),
      };
    }
  }

  /**
   * The limiter for one token (by hash) and method class: shared process-wide in memory, or,
   * with `redis`, this client's own limiter of the budget every process shares through Redis.
   */
  limiter(tokenHash: string, cls: MethodClass): Limiter {
    const key: LimiterKey = {
      tokenHash,
      methodClass: cls,
      limit: this.limits[cls],
      windowMs: this.#windowMs,
    };
    let limiter: Limiter;
    if (this.#redis) {
      const { own, limiters } = this.#redis;
      limiter = own.get(`${tokenHash}:${cls}`) ?? limiters.factory(key);
      own.set(`${tokenHash}:${cls}`, limiter);
    } else {
      limiter = shared(this.#namespace, key, this.#factory);
    }
    this.#used.set(`${tokenHash}:${cls}`, limiter);
    return limiter;
  }

  /**
   * Releases what the throttle holds open. With `redis`: calls still waiting reject, requests
   * already sent keep their unit until a window after they end, then both Redis connections
   * close. Nothing to do for the in-process limiter.
   */
  async close(): Promise<void> {
    await this.#redis?.limiters.close();
  }

  /** Queued and running requests per method class, over the tokens this client has used. */
  stats(): Record<MethodClass, LimiterCounts> {
    const stats = Object.fromEntries(METHOD_CLASSES.map((cls) => [cls, { queued: 0, running: 0 }])) as Record<
      MethodClass,
      LimiterCounts
    >;
    for (const [key, limiter] of this.#used) {
      const cls = key.slice(key.lastIndexOf(":") + 1) as MethodClass;
      const counts = limiter.counts();
      stats[cls].queued += counts.queued;
      stats[cls].running += counts.running;
    }
    return stats;
  }
}
