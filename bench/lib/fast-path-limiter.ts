/**
 * A PROTOTYPE, measured by the benchmark and not used by the SDK: the SDK's sliding-window rule
 * (src/throttle/sliding-window.ts — a unit per attempt, given back `windowMs` after the attempt
 * ended) kept in a plain counter instead of Bottleneck's reservoir.
 *
 * Bottleneck's LocalDatastore answers every question about the reservoir through a promise that
 * first waits for `setTimeout(0)` (`yieldLoop`): submit, register, the `setTimeout(wait = 0)` that
 * runs the job, and free — four timer turns, ≥ 1 ms each in Node, on every call, budget or not.
 * Here a call that finds budget (and nobody queued before it) takes its unit and starts in the
 * same tick. The accounting is the same as the SDK's — the only change is that the decision is
 * synchronous — so the invariant holds for the same reason: among any limit + 1 attempts, the
 * last needed a unit that one of the others gave back a full window after the server had it.
 */
export class FastPathSlidingWindow {
  #available: number;
  readonly #windowMs: number;
  readonly #queue: { start: () => void; abort: () => void }[] = [];

  constructor(limit: number, windowMs: number) {
    this.#available = limit;
    this.#windowMs = windowMs;
  }

  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.#available > 0 && this.#queue.length === 0) {
      this.#available -= 1;
      return this.#run(task);
    }
    return new Promise<T>((resolve, reject) => {
      const entry = {
        start: () => {
          signal?.removeEventListener("abort", entry.abort);
          this.#run(task).then(resolve, reject);
        },
        abort: () => {
          const index = this.#queue.indexOf(entry);
          if (index >= 0) this.#queue.splice(index, 1);
          reject(signal?.reason as Error);
        },
      };
      signal?.addEventListener("abort", entry.abort, { once: true });
      this.#queue.push(entry);
    });
  }

  #run<T>(task: () => Promise<T>): Promise<T> {
    return task().finally(() => {
      setTimeout(() => {
        this.#available += 1;
        this.#drain();
      }, this.#windowMs).unref();
    });
  }

  #drain(): void {
    while (this.#available > 0 && this.#queue.length > 0) {
      this.#available -= 1;
      this.#queue.shift()!.start();
    }
  }
}
