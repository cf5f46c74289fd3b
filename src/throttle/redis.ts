import type { Limiter, LimiterFactory, LimiterKey } from "./limiter.js";
import { RedisBackend, type RedisNotices } from "./redis-backend.js";
import { RedisLimiter } from "./redis-limiter.js";
import type { RedisLoader } from "./redis-loader.js";
import type { ResolvedRedisOptions } from "./redis-options.js";

/** The limiters of one client whose budgets live in Redis, and the connection they share. */
export interface RedisLimiters {
  factory: LimiterFactory;
  /** Rejects calls still waiting, lets started requests release their units, then disconnects. */
  close(): Promise<void>;
}

/**
 * Makes the limiters of `throttle.redis`: one Bottleneck budget per token hash and method class,
 * named `<prefix>:<token hash>:<class>` (Bottleneck adds `b_` and a suffix per key), shared by every
 * process that uses the same Redis, prefix and token. `local` makes the in-process limiter a
 * fallback uses for a key.
 */
export function createRedisLimiters(
  options: ResolvedRedisOptions,
  notices: RedisNotices,
  local: (key: LimiterKey) => Limiter,
  load?: RedisLoader,
): RedisLimiters {
  const backend = new RedisBackend(options, notices, load);
  const limiters: RedisLimiter[] = [];
  return {
    factory: (key) => {
      const id = `${options.prefix}:${key.tokenHash}:${key.methodClass}`;
      const limiter = new RedisLimiter(backend, key, id, () => local(key));
      limiters.push(limiter);
      return limiter;
    },
    close: async () => {
      backend.stop();
      await Promise.all(limiters.map((limiter) => limiter.close()));
      backend.disconnect();
    },
  };
}
