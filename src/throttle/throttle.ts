import type { Limiter, LimiterCounts, LimiterFactory } from "./limiter.js";
import {
  DEFAULT_MARGIN_MS,
  METHOD_CLASSES,
  checkLimits,
  type MethodClass,
  type RateLimits,
} from "./limits.js";
import { SlidingWindowLimiter } from "./sliding-window.js";
import { AstroConfigError } from "../errors.js";

/** `throttle` option of `createAstroClient`. */
export interface ThrottleOptions {
  /** Requests per second per token; defaults are Astronomer's limits (GET 25, POST 10, DELETE 5). */
  limits?: Partial<RateLimits>;
  /** Extra milliseconds added to each 1,000 ms window as a safety margin (default 5). */
  marginMs?: number;
}

const WINDOW_MS = 1000;

/**
 * Limiters of this process, keyed by token hash, class and configuration: clients built with the
 * same token share a budget; different tokens never slow each other.
 */
const registry = new Map<string, Limiter>();

const localFactory: LimiterFactory = (key) => SlidingWindowLimiter.local(key.limit, key.windowMs);

/** The per-token throttle of one client. */
export class Throttle {
  readonly limits: RateLimits;
  readonly #windowMs: number;
  readonly #factory: LimiterFactory;
  readonly #namespace: string;
  readonly #used = new Map<string, Limiter>();

  constructor(options: ThrottleOptions = {}, factory: LimiterFactory = localFactory, namespace = "local") {
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
  }

  /** The limiter for one token (by hash) and method class, shared process-wide. */
  limiter(tokenHash: string, cls: MethodClass): Limiter {
    const limit = this.limits[cls];
    const id = `${this.#namespace}:${tokenHash}:${cls}:${limit}:${this.#windowMs}`;
    let limiter = registry.get(id);
    if (!limiter) {
      limiter = this.#factory({ tokenHash, methodClass: cls, limit, windowMs: this.#windowMs });
      registry.set(id, limiter);
    }
    this.#used.set(`${tokenHash}:${cls}`, limiter);
    return limiter;
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
