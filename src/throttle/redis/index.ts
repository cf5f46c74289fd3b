import type { DelayBounds } from "../arrival.js";
import type { Limiter } from "../limiter.js";
import type { MethodClass } from "../limits.js";
import { RedisBackend, type RedisNotices } from "./backend.js";
import { RedisLimiter } from "./limiter.js";
import type { RedisLoader } from "./loader.js";
import type { ResolvedRedisOptions } from "./options.js";

/** The limiters of one client whose budgets live in Redis, and the connection they share. */
export interface RedisLimiters {
  /** The limiter of a token hash and class (made at first use; idle ones are forgotten). */
  limiter(tokenHash: string, cls: MethodClass, limit: number): Limiter;
  /** The limiters kept now, with their class. */
  limiters(): Iterable<[MethodClass, Limiter]>;
  /** Rejects calls still waiting, lets started requests release their units, then disconnects. */
  close(): Promise<void>;
}

/**
 * Makes the limiters of `throttle.redis`: one Bottleneck budget per token hash and method class,
 * named `<prefix>:<token hash>:<class>` (Bottleneck adds `b_` and a suffix per key; the terms every
 * process declares live beside it, under `:terms`), shared by every process that uses the same
 * Redis, prefix and token. `local` gives the in-process budget a fallback uses for a key.
 */
export function createRedisLimiters(
  options: ResolvedRedisOptions,
  bounds: DelayBounds,
  notices: RedisNotices,
  local: (tokenHash: string, cls: MethodClass) => Limiter,
  load?: RedisLoader,
): RedisLimiters {
  const backend = new RedisBackend(options, notices, load);
  const kept = new Map<string, { cls: MethodClass; limiter: RedisLimiter }>();
  let sweepAt = 64;
  /** Idle limiters leave Redis and are forgotten, as in-process budgets are (registry.ts). */
  const sweep = () => {
    for (const [id, entry] of kept) {
      if (entry.limiter.idle()) {
        kept.delete(id);
        void entry.limiter.close();
      }
    }
    sweepAt = Math.max(64, kept.size * 2);
  };
  return {
    limiter: (tokenHash, cls, limit) => {
      const id = `${options.prefix}:${tokenHash}:${cls}`;
      let entry = kept.get(id);
      if (!entry) {
        if (kept.size >= sweepAt) sweep();
        const key = { limit, windowMs: options.windowMs, bounds };
        entry = { cls, limiter: new RedisLimiter(backend, key, id, () => local(tokenHash, cls)) };
        kept.set(id, entry);
      }
      return entry.limiter;
    },
    limiters: () => [...kept.values()].map(({ cls, limiter }) => [cls, limiter] as [MethodClass, Limiter]),
    close: async () => {
      backend.stop();
      await Promise.all([...kept.values()].map(({ limiter }) => limiter.close()));
      backend.disconnect();
    },
  };
}
