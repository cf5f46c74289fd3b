import { abortReason, whenAborted } from "../transport/abort-fanout.js";
import { ArrivalModel, type DelayBounds } from "./arrival.js";
import { Backoff } from "./backoff.js";
import { Holds } from "./holds.js";
import type { AttemptTimes, Limiter, LimiterCounts, Ticket } from "./limiter.js";
import { TimedTicket } from "./ticket.js";
import { MAX_TIMER_MS } from "../transport/timers.js";

// About 250 lines because the limiter and its ticket share one piece of accounting (busy, held,
// waiting, the one timer): the ticket is a dozen lines that only forward to the limiter's private
// state, and the proof of the window invariant reads best in one place.

interface Waiter {
  resolve: (ticket: Ticket) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  /** Stops listening to `signal` (see `whenAborted`). */
  stop: (() => void) | undefined;
  /** Granted or aborted: skipped when its turn comes. */
  done: boolean;
}

/**
 * An in-process sliding-window budget: at most `limit` units busy or held at any time, where a
 * unit is busy while its attempt runs and held until `ArrivalModel.releaseAt` (a window after
 * the server surely had the request). Among any limit + 1 requests the last one started only
 * after one of the others came back — the invariant "no more than the limit in any window at
 * the server" (see `arrival.ts` for the proof's assumptions).
 *
 * Why not Bottleneck here: its local datastore answers every question through `setTimeout(0)`
 * turns (submit, register, run, free) — about 5 ms per call even when budget is free
 * (BENCHMARKS.md). The accounting is a few numbers, so it is kept here synchronously: a call
 * that finds budget, with nobody waiting before it, starts in the same tick. Waiters queue in
 * arrival order; one timer, armed only while someone waits, wakes them when the earliest held
 * unit comes back — so with nobody waiting nothing keeps the process alive, and an aborted
 * waiter is skipped in O(1) without costing the calls behind it anything.
 */
export class WindowLimiter implements Limiter {
  #limit: number;
  #windowMs: number;
  readonly #arrival: ArrivalModel;
  readonly #backoff: Backoff;
  /** Clients that use this budget (for their `stats()`), each counted once. */
  readonly users = new WeakSet<object>();
  /** @internal Forgotten by the registry: a client that kept it must look its budget up again. */
  swept = false;
  /** Whether the arrival model reads when requests were sent (kept: each ticket is told). */
  #readsSentAt: boolean;
  /** Units taken whose attempt has not ended. */
  #busy = 0;
  /** When held units come back. */
  readonly #holds = new Holds();
  #queue: (Waiter | undefined)[] = [];
  #queueHead = 0;
  /** Waiters neither granted nor aborted. */
  #waiting = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #drainQueued = false;

  constructor(limit: number, windowMs: number, bounds: DelayBounds) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#arrival = new ArrivalModel(bounds);
    this.#readsSentAt = this.#arrival.readsSentAt;
    this.#backoff = new Backoff(windowMs);
  }

  /** Another client shares this budget: the strictest limit, window and assumptions win. */
  join(user: object, limit: number, windowMs: number, bounds: DelayBounds): void {
    if (this.users.has(user)) return;
    this.users.add(user);
    this.#limit = Math.min(this.#limit, limit);
    this.#windowMs = Math.max(this.#windowMs, windowMs);
    this.#arrival.add(bounds);
    this.#readsSentAt = this.#arrival.readsSentAt;
  }

  get limit(): number {
    return this.#limit;
  }

  tryTake(): Ticket | undefined {
    if (this.#waiting > 0) return undefined;
    // Below the limit even counting held units that may have come back already, with no 429 to
    // heed: free, and the clock need not be read. Otherwise drop what came back and count again
    // (so the holds keep at most about twice the limit of moments, whatever the rate).
    const surelyFree = this.#busy + this.#holds.size < this.#limit && this.#backoff.quiet;
    if (!surelyFree && !this.#free(performance.now())) return undefined;
    this.#busy += 1;
    return new WindowTicket(this, this.#readsSentAt);
  }

  take(signal?: AbortSignal): Promise<Ticket> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const ticket = this.tryTake();
    if (ticket) return Promise.resolve(ticket);
    return new Promise<Ticket>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, stop: undefined, done: false };
      if (signal) waiter.stop = whenAborted(signal, () => this.#abandon(waiter));
      this.#queue.push(waiter);
      this.#waiting += 1;
      this.#arm();
    });
  }

  counts(): LimiterCounts {
    return { queued: this.#waiting, running: this.#busy };
  }

  /** Nothing busy, held, waiting or backing off: the budget can be forgotten. */
  idle(now = performance.now()): boolean {
    return (
      this.#waiting === 0 &&
      this.#busy === 0 &&
      this.#holds.count(now) === 0 &&
      this.#backoff.settled(now, this.#limit)
    );
  }

  /**
   * @internal A ticket's request leaves at `at`: with an asserted maximum delay or a learnt
   * spread, its unit is no longer busy but held until its provisional release (returned), at the
   * latest — a response may bring it forward.
   */
  sent(at: number): number | undefined {
    const provisional = this.#arrival.provisionalAt(at, this.#windowMs);
    if (!Number.isFinite(provisional)) return undefined;
    this.#busy -= 1;
    this.#holds.add(provisional);
    if (this.#waiting > 0) this.#arm();
    return provisional;
  }

  /** @internal Called by a ticket when its attempt ended (`provisional`: what `sent` held it until). */
  released(times: AttemptTimes, provisional: number | undefined): void {
    const at = this.#arrival.releaseAt(times, this.#windowMs, provisional);
    // Held at sending until when it still comes back (a learnt or asserted spread, the usual case
    // for an answered attempt): nothing moves.
    if (at === provisional) return;
    if (provisional === undefined) this.#busy -= 1;
    else this.#holds.remove(provisional);
    if (at > times.endedAt) this.#holds.add(at);
    if (this.#waiting > 0) this.#arm();
  }

  /** @internal A unit nothing was sent with. */
  cancelled(provisional: number | undefined): void {
    if (provisional === undefined) this.#busy -= 1;
    else this.#holds.remove(provisional);
    if (this.#waiting > 0) this.#arm();
  }

  /** @internal The server answered 429 to one of this budget's requests. */
  rateLimited(retryAfterMs: number | undefined): void {
    const now = performance.now();
    this.#backoff.apply(now, retryAfterMs, this.#limit);
    this.#arrival.rateLimited(now, this.#windowMs);
    if (this.#waiting > 0) this.#arm();
  }

  #free(now: number): boolean {
    return this.#busy + this.#holds.count(now) < this.#backoff.allowed(now, this.#limit);
  }

  #abandon(waiter: Waiter): void {
    if (waiter.done) return;
    waiter.done = true;
    this.#waiting -= 1;
    waiter.reject(waiter.signal && abortReason(waiter.signal));
    // The calls behind it lose nothing: it is skipped when its turn comes, in O(1).
    if (this.#waiting === 0) {
      this.#resetQueue();
      this.#arm();
    }
  }

  #resetQueue(): void {
    this.#queue = [];
    this.#queueHead = 0;
  }

  /** Grants units to waiters, in order, while budget is free. */
  #drain(): void {
    const now = performance.now();
    while (this.#waiting > 0 && this.#free(now)) {
      const waiter = this.#queue[this.#queueHead];
      this.#queue[this.#queueHead] = undefined;
      this.#queueHead += 1;
      if (!waiter || waiter.done) continue;
      waiter.done = true;
      this.#waiting -= 1;
      waiter.stop?.();
      this.#busy += 1;
      waiter.resolve(new WindowTicket(this, this.#readsSentAt));
    }
    if (this.#waiting === 0) this.#resetQueue();
    else if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#queueHead);
      this.#queueHead = 0;
    }
    this.#arm();
  }

  /**
   * Wakes the queue when something may have changed: at once when budget is free (after the
   * current call stack, so a limiter is never re-entered), else at the earliest release, the end
   * of a 429 pause, or the next step of a recovering ceiling. No timer while nobody waits, and
   * none while every unit is busy (a unit's release arms it).
   */
  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#waiting === 0) return;
    const now = performance.now();
    const paused = this.#backoff.pausedUntil(now);
    let next: number | undefined;
    if (paused !== undefined) next = paused;
    else if (this.#free(now)) next = now;
    else {
      const release = this.#holds.earliest() ?? Infinity;
      const rise = this.#backoff.nextRise(now, this.#limit) ?? Infinity;
      next = Math.min(release, rise);
      if (next === Infinity) return;
    }
    if (next <= now) {
      if (this.#drainQueued) return;
      this.#drainQueued = true;
      queueMicrotask(() => {
        this.#drainQueued = false;
        this.#drain();
      });
      return;
    }
    // Timers may fire up to a millisecond early: `#drain` checks again and re-arms.
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#drain();
      },
      Math.min(Math.ceil(next - now), MAX_TIMER_MS),
    );
  }
}

/** The ticket of a unit of a `WindowLimiter`: its unit comes back, or is cancelled, once. */
class WindowTicket extends TimedTicket {
  readonly #limiter: WindowLimiter;
  /** Until when `sent` held the unit (asserted bounds only). */
  #provisional: number | undefined = undefined;

  constructor(limiter: WindowLimiter, readsSentAt: boolean) {
    super(readsSentAt);
    this.#limiter = limiter;
  }

  protected onSent(at: number): void {
    this.#provisional = this.#limiter.sent(at);
  }

  protected onEnd(): void {
    this.#limiter.released(this, this.#provisional);
  }

  protected onCancel(): void {
    this.#limiter.cancelled(this.#provisional);
  }

  protected onRateLimited(retryAfterMs: number | undefined): void {
    this.#limiter.rateLimited(retryAfterMs);
  }
}
