import Bottleneck from "bottleneck";
import type { Limiter, LimiterCounts } from "./limiter.js";

/**
 * A sliding-window limit built on Bottleneck's reservoir: the reservoir starts at `limit`, each
 * attempt takes one unit, and that unit is given back `windowMs` after the attempt ended (its
 * response arrived, or it failed).
 *
 * Why not Bottleneck's own options: `minTime` spaces starts by 1000/limit ms but timer jitter lets
 * limit+1 starts into some window, and `reservoirRefreshInterval` is a fixed window that lets up
 * to twice the limit straddle a boundary. Why count from the end of an attempt, not its start:
 * the server receives a request at some moment between the two, and only the end bounds that
 * moment. Counting from the start let 26 GETs into one server-side window whenever a burst of
 * new connections spread arrivals by more than the margin; counting from the end cannot, since
 * among any limit+1 attempts the last needed a unit that one of the others returned a window
 * after the server had it. The cost is one response latency per window (≈0.1% on loopback).
 * Up to `limit` attempts start at once, which keeps occasional calls free of waiting.
 */
export class SlidingWindowLimiter implements Limiter {
  readonly #bottleneck: Bottleneck;
  readonly #windowMs: number;
  readonly #returns = new Set<ReturnType<typeof setTimeout>>();
  #abandoned = 0;
  /** Calls waiting for a unit (aborted ones included until their turn comes). */
  #queued = 0;

  constructor(bottleneck: Bottleneck, windowMs: number) {
    this.#bottleneck = bottleneck;
    this.#windowMs = windowMs;
  }

  /** An in-process limiter. */
  static local(limit: number, windowMs: number): SlidingWindowLimiter {
    return new SlidingWindowLimiter(
      new Bottleneck({ reservoir: limit, maxConcurrent: null, minTime: 0 }),
      windowMs,
    );
  }

  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<T>((resolve, reject) => {
      let abandoned = false;
      const onAbort = () => {
        abandoned = true;
        this.#abandoned += 1;
        reject(signal?.reason as Error);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiting(+1);
      this.#bottleneck
        .schedule(() => {
          this.#waiting(-1);
          signal?.removeEventListener("abort", onAbort);
          if (abandoned) {
            // Its turn came after it was aborted: hand the unit straight back, send nothing.
            this.#abandoned -= 1;
            void this.#giveBack();
            return Promise.resolve(undefined);
          }
          return task().finally(() => this.#giveBackLater());
        })
        .then(
          (value) => {
            if (!abandoned) resolve(value as T);
          },
          (error: unknown) => {
            if (!abandoned) reject(error as Error);
          },
        );
    });
  }

  /** The unit returns a window after the attempt ended: the server received it no later than that. */
  #giveBackLater(): void {
    const timer = setTimeout(() => {
      this.#returns.delete(timer);
      void this.#giveBack();
    }, this.#windowMs);
    if (this.#queued === 0) timer.unref?.();
    this.#returns.add(timer);
  }

  /**
   * Pending give-backs keep the process alive only while a call waits for them: with nothing
   * queued a script may exit at once, but with calls queued, Node must not see an empty event
   * loop and exit (code 13, "unsettled top-level await") before their turn comes.
   */
  #waiting(delta: number): void {
    const before = this.#queued;
    this.#queued += delta;
    if (before === 0 && this.#queued > 0) for (const timer of this.#returns) timer.ref?.();
    if (before > 0 && this.#queued === 0) for (const timer of this.#returns) timer.unref?.();
  }

  #giveBack(): Promise<unknown> {
    return this.#bottleneck.incrementReservoir(1).catch(() => undefined);
  }

  counts(): LimiterCounts {
    const counts = this.#bottleneck.counts();
    return {
      queued: Math.max(0, (counts.RECEIVED ?? 0) + (counts.QUEUED ?? 0) - this.#abandoned),
      running: (counts.RUNNING ?? 0) + (counts.EXECUTING ?? 0),
    };
  }
}
