import type { Attempt, AttemptTimes, Ticket, Unit } from "./limiter.js";

/**
 * The ticket of one attempt, made by the budget that granted its unit: records when the request
 * was sent and answered (the times the unit's release is computed from, handed over as they
 * are), and gives the unit back through the budget's hooks when whoever ran the attempt calls
 * `end`, or at once after `unsent`.
 *
 * One object per attempt, and one clock read for an answered attempt under the default
 * assumptions: between real calls this code runs from cold caches, so each object and call it
 * saves counts (BENCHMARKS.md).
 */
export abstract class TimedTicket implements Ticket, AttemptTimes {
  sentAt: number | undefined = undefined;
  answeredAt: number | undefined = undefined;
  endedAt = 0;
  /** Granted and not yet given back. */
  #held = true;
  /** Whether the budget reads `sentAt`: otherwise `sent` does not read the clock. */
  readonly #readsSentAt: boolean;

  protected constructor(readsSentAt: boolean) {
    this.#readsSentAt = readsSentAt;
  }

  sent(): void {
    if (!this.#readsSentAt || this.sentAt !== undefined || !this.#held) return;
    this.sentAt = performance.now();
    this.onSent(this.sentAt);
  }

  answered(): void {
    this.answeredAt ??= performance.now();
  }

  rateLimited(retryAfterMs: number | undefined): void {
    this.answered();
    if (this.#held) this.onRateLimited(retryAfterMs);
  }

  unsent(): void {
    if (this.answeredAt !== undefined || !this.#held) return;
    this.#held = false;
    this.onCancel();
  }

  end(): void {
    if (!this.#held) return;
    this.#held = false;
    // Only an unanswered attempt's release is counted from its end: an answered one's clock was read.
    this.endedAt = this.answeredAt ?? performance.now();
    this.onEnd();
  }

  /** The request leaves at `at` (only when the budget reads `sentAt`). */
  protected abstract onSent(at: number): void;
  /** The attempt settled: `this` holds its times. */
  protected abstract onEnd(): void;
  /** Nothing was sent with the unit. */
  protected abstract onCancel(): void;
  /** The server answered 429. */
  protected abstract onRateLimited(retryAfterMs: number | undefined): void;
}

/** The ticket of a unit of a budget shared through Redis. */
export class UnitTicket extends TimedTicket {
  readonly #unit: Unit;

  constructor(unit: Unit) {
    // Redis units are not on the hot path: the clock is read at `sent` whatever the bounds.
    super(true);
    this.#unit = unit;
  }

  protected onSent(at: number): void {
    this.#unit.sent(at);
  }

  protected onEnd(): void {
    this.#unit.release(this);
  }

  protected onCancel(): void {
    this.#unit.cancel();
  }

  protected onRateLimited(retryAfterMs: number | undefined): void {
    this.#unit.rateLimited(retryAfterMs);
  }
}

/** A ticket nothing was sent with and nothing will be: its unit comes back at once, and it is ended. */
export function giveBack(ticket: Ticket): void {
  ticket.unsent();
  ticket.end();
}

/** Runs `attempt` now (synchronously up to its first await) and ends its ticket however it settles. */
export async function settle<T>(ticket: Ticket, attempt: Attempt<T>): Promise<T> {
  try {
    return await attempt(ticket);
  } finally {
    ticket.end();
  }
}
