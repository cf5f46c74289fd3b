import type { Attempt, AttemptTicket, AttemptTimes, Limiter, Unit } from "./limiter.js";

/** Finds the budget of another token hash, for `rekey`. */
export type BudgetLookup = (tokenHash: string) => Limiter;

/**
 * The ticket of one attempt: records when it started, was sent and was answered (the times its
 * unit's release is computed from, handed over as they are), and gives its unit back when whoever
 * ran the attempt calls `end`.
 */
export class Ticket implements AttemptTicket, AttemptTimes {
  startedAt: number;
  sentAt: number | undefined = undefined;
  answeredAt: number | undefined = undefined;
  endedAt = 0;
  #unit: Unit | undefined;
  #tokenHash: string;
  readonly #lookup: BudgetLookup;
  readonly #signal: AbortSignal | undefined;

  constructor(unit: Unit, tokenHash: string, lookup: BudgetLookup, signal: AbortSignal | undefined) {
    this.#unit = unit;
    this.startedAt = unit.takenAt ?? performance.now();
    this.#tokenHash = tokenHash;
    this.#lookup = lookup;
    this.#signal = signal;
  }

  sent(): void {
    if (this.sentAt !== undefined || !this.#unit) return;
    this.sentAt = performance.now();
    this.#unit.sent(this.sentAt);
  }

  answered(): void {
    this.answeredAt ??= performance.now();
  }

  rateLimited(retryAfterMs: number | undefined): void {
    this.answered();
    this.#unit?.rateLimited(retryAfterMs);
  }

  async rekey(tokenHash: string): Promise<void> {
    if (tokenHash === this.#tokenHash || this.sentAt !== undefined || this.answeredAt !== undefined) return;
    this.#unit?.cancel();
    this.#unit = undefined;
    const limiter = this.#lookup(tokenHash);
    this.#unit = limiter.tryTake() ?? (await limiter.take(this.#signal));
    this.#tokenHash = tokenHash;
    this.startedAt = performance.now();
  }

  unsent(): void {
    if (this.answeredAt !== undefined) return;
    this.#unit?.cancel();
    this.#unit = undefined;
  }

  /** The attempt settled: its unit comes back when the arrival model says. */
  end(): void {
    const unit = this.#unit;
    if (!unit) return;
    this.#unit = undefined;
    // Only an unanswered attempt's release is counted from its end: an answered one's clock was read.
    this.endedAt = this.answeredAt ?? performance.now();
    unit.release(this);
  }
}

/**
 * The ticket of an attempt granted `unit`: a call whose signal aborted between its grant and this
 * moment sends nothing and hands the unit straight back (the signal's reason is thrown).
 */
export function ticketFor(
  unit: Unit,
  tokenHash: string,
  lookup: BudgetLookup,
  signal: AbortSignal | undefined,
): Ticket {
  if (signal?.aborted) {
    unit.cancel();
    throw signal.reason;
  }
  return new Ticket(unit, tokenHash, lookup, signal);
}

/** Runs `attempt` now (synchronously up to its first await) and ends its ticket however it settles. */
export async function settle<T>(ticket: Ticket, attempt: Attempt<T>): Promise<T> {
  try {
    return await attempt(ticket);
  } finally {
    ticket.end();
  }
}
