import type { Attempt, AttemptTicket, Limiter, Unit } from "./limiter.js";

/** Finds the budget of another token hash, for `rekey`. */
export type BudgetLookup = (tokenHash: string) => Limiter;

/** The ticket of one attempt: records when it started and was answered, and gives its unit back. */
class Ticket implements AttemptTicket {
  #unit: Unit | undefined;
  #tokenHash: string;
  readonly #lookup: BudgetLookup;
  readonly #signal: AbortSignal | undefined;
  #startedAt = performance.now();
  #sentAt: number | undefined;
  #answeredAt: number | undefined;

  constructor(unit: Unit, tokenHash: string, lookup: BudgetLookup, signal: AbortSignal | undefined) {
    this.#unit = unit;
    this.#tokenHash = tokenHash;
    this.#lookup = lookup;
    this.#signal = signal;
  }

  sent(): void {
    if (this.#sentAt !== undefined || !this.#unit) return;
    this.#sentAt = performance.now();
    this.#unit.sent(this.#sentAt);
  }

  answered(): void {
    this.#answeredAt ??= performance.now();
  }

  rateLimited(retryAfterMs: number | undefined): void {
    this.answered();
    this.#unit?.rateLimited(retryAfterMs);
  }

  async rekey(tokenHash: string): Promise<void> {
    if (tokenHash === this.#tokenHash || this.#sentAt !== undefined || this.#answeredAt !== undefined) return;
    this.#unit?.cancel();
    this.#unit = undefined;
    const limiter = this.#lookup(tokenHash);
    this.#unit = limiter.tryTake() ?? (await limiter.take(this.#signal));
    this.#tokenHash = tokenHash;
    this.#startedAt = performance.now();
  }

  unsent(): void {
    if (this.#answeredAt !== undefined) return;
    this.#unit?.cancel();
    this.#unit = undefined;
  }

  /** The attempt settled: its unit comes back when the arrival model says. */
  end(): void {
    const unit = this.#unit;
    if (!unit) return;
    this.#unit = undefined;
    unit.release({
      startedAt: this.#startedAt,
      sentAt: this.#sentAt,
      answeredAt: this.#answeredAt,
      endedAt: performance.now(),
    });
  }
}

/**
 * Runs `attempt` with `unit` now. A call whose signal aborted between its grant and this moment
 * sends nothing and hands the unit straight back.
 */
export function runWithUnit<T>(
  unit: Unit,
  attempt: Attempt<T>,
  tokenHash: string,
  lookup: BudgetLookup,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (signal?.aborted) {
    unit.cancel();
    return Promise.reject(signal.reason as Error);
  }
  return settle(new Ticket(unit, tokenHash, lookup, signal), attempt);
}

/** Runs `attempt` now (synchronously up to its first await) and ends its ticket however it settles. */
async function settle<T>(ticket: Ticket, attempt: Attempt<T>): Promise<T> {
  try {
    return await attempt(ticket);
  } finally {
    ticket.end();
  }
}
