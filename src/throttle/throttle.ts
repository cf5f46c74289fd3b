import { describeValue } from "../errors/describe-value.js";
import { STRICT, checkNetworkDelay, type DelayBounds, type NetworkDelayOption } from "./arrival.js";
import type { Attempt, Limiter, LimiterCounts, Ticket } from "./limiter.js";
import {
  DEFAULT_MARGIN_MS,
  METHOD_CLASSES,
  checkLimits,
  type MethodClass,
  type RateLimits,
} from "./limits.js";
import { createRedisLimiters, type RedisLimiters } from "./lazy-redis.js";
import { NetworkPath } from "./round-trips.js";
import type { RedisNotices } from "./redis/backend.js";
import type { RedisLoader } from "./redis/loader.js";
import { checkRedisOptions, type RedisErrorMode, type RedisThrottleOptions } from "./redis/options.js";
import { budgetsOf, declareBudget, localBudget, type BudgetTerms } from "./registry.js";
import { giveBack, settle } from "./ticket.js";
import type { WindowLimiter } from "./window.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { abortReason } from "../transport/abort-fanout.js";
import { callHook, ignoreFailure } from "../events/call-hook.js";
import { emitProcessWarning } from "../events/process-warning.js";
import type { AstroLogger } from "../events/astro-event.js";

/** `throttle` option of `createAstroClient`. */
export interface ThrottleOptions {
  /** Requests per second per token; defaults are Astronomer's limits (GET 25, POST 10, DELETE 5). */
  limits?: Partial<RateLimits>;
  /** Extra milliseconds added to each 1,000 ms window as a safety margin (default 5). */
  marginMs?: number;
  /**
   * What the throttle may assume about the time a request takes to reach the API, one way
   * (default `"learned"`: how much it varies, from the round trips measured; `"unknown"` for no
   * window ever over the limit at the server; see `NetworkDelayOption` and docs/throttle.md).
   */
  networkDelayMs?: NetworkDelayOption;
  /**
   * Share each token's budgets with every process that uses the same token and Redis (a CI
   * fleet, a worker pool): `{ url: "redis://…" }` or `{ client: new Redis(…) }`. Needs the optional
   * peer dependency `ioredis` (`npm install ioredis`). Connects at the first call; call
   * `astro.close()` when done so the process can exit. Processes with different `limits` keep
   * to the strictest of those using the token, and a 429 seen by one slows them all. Browser and
   * edge-worker builds have no Redis limiter: there the first call rejects with an
   * `AstroConfigError`.
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
 * Fallback warnings go to the client's logger, or to `process.emitWarning` without one (or when
 * the logger fails). A logger that throws or rejects changes nothing: the backend changes state
 * after its notice (a throw there left calls waiting for good), and the "back" notice runs from a
 * timer (a throw there ended the process).
 */
function notices(logger: AstroLogger | undefined): RedisNotices {
  const emit = (level: "warn" | "info", message: string) => {
    let method: AstroLogger["warn"];
    try {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called with `logger` as `this` below
      method = logger?.[level];
    } catch {
      method = undefined;
    }
    const told =
      method !== undefined &&
      callHook(() => method.call(logger, { type: "throttle-redis", level }, message), ignoreFailure);
    if (!told && level === "warn") emitProcessWarning(message, { code: "ASTRO_REDIS_FALLBACK" });
  };
  return { warn: (message) => emit("warn", message), info: (message) => emit("info", message) };
}

/**
 * The per-token throttle of one client. Each attempt runs through `run`, which takes a unit of
 * the token's budget for the method class — shared process-wide in memory, or with every process
 * through Redis — and gives it back once the server surely had the request a window ago.
 */
export class Throttle {
  readonly limits: RateLimits;
  readonly #windowMs: number;
  /** Per method class: with `"learned"`, each class learns its round trips on this client's path. */
  readonly #bounds: Record<MethodClass, DelayBounds>;
  /**
   * The in-process budget each class used last, for the next call with the same token: found
   * again without building its key, until a sweep forgets it.
   */
  readonly #recent: Partial<Record<MethodClass, { tokenHash: string; limiter: WindowLimiter }>> = {};
  /** With `redis`: this client's limiters of the budgets every process shares through Redis. */
  readonly #redis: RedisLimiters | undefined;

  constructor(options: ThrottleOptions | undefined, context: ThrottleContext = {}) {
    const resolved = options ?? {};
    this.limits = checkLimits(resolved.limits);
    const margin = resolved.marginMs ?? DEFAULT_MARGIN_MS;
    if (typeof margin !== "number" || !Number.isFinite(margin) || margin < 0 || margin > 60_000) {
      throw new AstroConfigError(
        `throttle.marginMs must be a number of milliseconds from 0 to 60,000, got ${describeValue(margin)}`,
      );
    }
    this.#windowMs = WINDOW_MS + margin;
    const bounds = checkNetworkDelay(resolved.networkDelayMs);
    this.#bounds = boundsByClass(bounds);
    const redis = checkRedisOptions(resolved, this.#windowMs);
    if (redis) {
      this.#redis = createRedisLimiters(
        redis,
        // Budgets shared through Redis do not learn yet (each process would learn its own path):
        // under the default they assume nothing, as `"unknown"`.
        bounds === "learned" ? STRICT : bounds,
        notices(context.logger),
        (tokenHash, cls) => this.#local(tokenHash, cls),
        context.loadRedis,
      );
    }
  }

  /**
   * Declares this client's terms for the budgets of `tokenHash` (its constant token) before any
   * call, so the strictest limit holds from the first call of any client of that token.
   */
  declare(tokenHash: string): void {
    if (this.#redis) return;
    for (const cls of METHOD_CLASSES) declareBudget(tokenHash, cls, this, this.#terms(cls));
  }

  /**
   * A ticket for one attempt of a call with token `tokenHash` and method class `cls`: at once,
   * in this tick, when budget is free and nobody waits; otherwise a promise of one, granted in
   * arrival order. If `signal` aborts while it waits, rejects with the signal's reason and uses no
   * budget. The attempt reports through the ticket when its request leaves (`sent`), when its
   * response headers arrived (`answered`), a 429 (`rateLimited`), or that nothing was sent
   * (`unsent`, also before moving to a rotated token's budget); whoever runs it calls `end` once
   * it settled, however it did.
   */
  acquire(tokenHash: string, cls: MethodClass, signal?: AbortSignal): Ticket | Promise<Ticket> {
    const limiter = this.#limiter(tokenHash, cls);
    // An aborted call takes nothing: `take` rejects it with the signal's reason at once.
    const ticket = signal?.aborted ? undefined : limiter.tryTake();
    return ticket ?? limiter.take(signal).then((granted) => unlessAborted(granted, signal));
  }

  /**
   * Runs `attempt` with a ticket from `acquire` (synchronously, in this tick, when budget is
   * free) and ends the ticket when it settles.
   */
  run<T>(tokenHash: string, cls: MethodClass, attempt: Attempt<T>, signal?: AbortSignal): Promise<T> {
    const ticket = this.acquire(tokenHash, cls, signal);
    return ticket instanceof Promise
      ? ticket.then((granted) => settle(granted, attempt))
      : settle(ticket, attempt);
  }

  /**
   * Releases what the throttle holds open. With `redis`: calls still waiting reject, requests
   * already sent keep their unit until it comes back, then both Redis connections close.
   * Nothing to do for the in-process limiter: it holds no timer while nobody waits.
   */
  async close(): Promise<void> {
    await this.#redis?.close();
  }

  /** Queued and running requests per method class, over the tokens this client uses. */
  stats(): Record<MethodClass, LimiterCounts> {
    const stats = Object.fromEntries(METHOD_CLASSES.map((cls) => [cls, { queued: 0, running: 0 }])) as Record<
      MethodClass,
      LimiterCounts
    >;
    const add = (cls: MethodClass, limiter: Limiter) => {
      const counts = limiter.counts();
      stats[cls].queued += counts.queued;
      stats[cls].running += counts.running;
    };
    if (this.#redis) for (const [cls, limiter] of this.#redis.limiters()) add(cls, limiter);
    else for (const [cls, limiter] of budgetsOf(this)) add(cls, limiter);
    return stats;
  }

  #limiter(tokenHash: string, cls: MethodClass): Limiter {
    if (this.#redis) return this.#redis.limiter(tokenHash, cls, this.limits[cls]);
    const recent = this.#recent[cls];
    if (recent?.tokenHash === tokenHash && !recent.limiter.swept) return recent.limiter;
    return this.#local(tokenHash, cls);
  }

  #terms(cls: MethodClass): BudgetTerms {
    return { limit: this.limits[cls], windowMs: this.#windowMs, bounds: this.#bounds[cls] };
  }

  #local(tokenHash: string, cls: MethodClass): Limiter {
    const limiter = localBudget(tokenHash, cls, this, this.#terms(cls));
    this.#recent[cls] = { tokenHash, limiter };
    return limiter;
  }
}

/** The bounds of each class: with `"learned"`, the round trips of each class on one new path. */
function boundsByClass(bounds: DelayBounds | "learned"): Record<MethodClass, DelayBounds> {
  if (bounds !== "learned") return { get: bounds, post: bounds, delete: bounds };
  const path = new NetworkPath();
  const learned = (cls: MethodClass): DelayBounds => ({ ...STRICT, learned: path.of(cls) });
  return { get: learned("get"), post: learned("post"), delete: learned("delete") };
}

/**
 * A ticket granted to a call that waited: if its signal aborted between the grant and this
 * moment, it sends nothing and hands the unit straight back (the signal's reason is thrown).
 */
function unlessAborted(ticket: Ticket, signal: AbortSignal | undefined): Ticket {
  if (signal?.aborted) {
    giveBack(ticket);
    throw abortReason(signal);
  }
  return ticket;
}
