/**
 * `throttle.redis`'s limiters, whose code (./redis/: the connection's states, Bottleneck's
 * clustering, the shared-window limiter) is imported at the first call of a client configured
 * with Redis: a process or an app bundle that never shares budgets does not load it, and a
 * bundler with code splitting puts it in a chunk of its own.
 *
 * Until the module is there, a limiter here only queues: a unit shared through Redis never comes
 * at once anyway (`RedisLimiter.tryTake`), so a call waits as long as it would have, plus the
 * one load per process.
 */
import { AstroConfigError } from "../errors/error-classes.js";
import { lazyModule } from "../internal/lazy-module.js";
import { abortReason, whenAborted } from "../transport/abort-fanout.js";
import type { Limiter, Ticket } from "./limiter.js";
import { METHOD_CLASSES, type MethodClass } from "./limits.js";
import type { createRedisLimiters as createEagerly, RedisLimiters } from "./redis/index.js";

export type { RedisLimiters } from "./redis/index.js";

/**
 * What a browser or edge-worker build of the package loads instead of ./redis/: in the built
 * package this import names `#redis-limiters` (scripts/build/redis-imports.ts rewrites it), which
 * package.json's `imports` maps by runtime, as Redis needs TCP connections those runtimes do not
 * have, and its code (about 6 KiB gzipped, a seventh of the minimal browser bundle it left:
 * docs/runtimes.md) would ride along unused.
 */
interface RedisUnavailable {
  /** Where the build is for, to name it in the error. */
  readonly unavailable: string;
}

const loadRedisModule = lazyModule(
  (): Promise<typeof import("./redis/index.js") | RedisUnavailable> => import("./redis/index.js"),
);

/**
 * The limiters of `throttle.redis` (see `createRedisLimiters` in ./redis/index.ts, which takes
 * the same arguments), made once the Redis code is loaded.
 */
export function createRedisLimiters(...args: Parameters<typeof createEagerly>): RedisLimiters {
  let real: RedisLimiters | undefined;
  let loading: Promise<RedisLimiters> | undefined;
  /** `close()` came before the module: whatever is made later is closed at once. */
  let closed = false;
  let closing: Promise<void> | undefined;
  /** Calls waiting for the module, per class (`stats()` counts them as queued). */
  const waiting: Record<MethodClass, number> = { get: 0, post: 0, delete: 0 };
  const loaded = (): Promise<RedisLimiters> =>
    (loading ??= loadRedisModule().then(
      (module) => {
        if ("unavailable" in module)
          throw new AstroConfigError(
            `throttle.redis is not available in ${module.unavailable}: it needs TCP connections to Redis ` +
              "(Node, Bun or Deno); share budgets from a server-side process instead, or drop throttle.redis",
          );
        real = module.createRedisLimiters(...args);
        // Closed before anything was loaded: calls made since are rejected as after any close.
        if (closed) closing = real.close();
        return real;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));

  /** A call before the module is there: it waits for it (or its signal), then takes its turn. */
  const takeOnceLoaded = (tokenHash: string, cls: MethodClass, limit: number, signal?: AbortSignal) => {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    waiting[cls]++;
    return new Promise<Ticket>((resolve, reject) => {
      let done = false;
      const finish = (): boolean => {
        if (done) return false;
        done = true;
        waiting[cls]--;
        stop();
        return true;
      };
      const stop = whenAborted(signal, () => {
        if (finish()) reject(abortReason(signal!));
      });
      loaded().then(
        (limiters) => {
          if (finish()) limiters.limiter(tokenHash, cls, limit).take(signal).then(resolve, reject);
        },
        (error: unknown) => {
          if (finish()) reject(error);
        },
      );
    });
  };

  /** A limiter that waits for the module; `stats()` shows the calls waiting in it. */
  const placeholder = (tokenHash: string, cls: MethodClass, limit: number): Limiter => ({
    tryTake: () => undefined,
    take: (signal) => takeOnceLoaded(tokenHash, cls, limit, signal),
    counts: () => ({ queued: waiting[cls], running: 0 }),
  });

  return {
    limiter: (tokenHash, cls, limit) =>
      real?.limiter(tokenHash, cls, limit) ?? placeholder(tokenHash, cls, limit),
    limiters: () =>
      real?.limiters() ??
      METHOD_CLASSES.filter((cls) => waiting[cls] > 0).map((cls): [MethodClass, Limiter] => [
        cls,
        placeholder("", cls, 0),
      ]),
    close: async () => {
      if (real) return real.close();
      closed = true;
      // A load under way makes the limiters and closes them (calls waiting for it are rejected then).
      await loading?.catch(() => undefined);
      await closing;
    },
  };
}
