/** Counts of one limiter, for `client.stats()`. */
export interface LimiterCounts {
  /** Waiting for budget. */
  queued: number;
  /** Started and not yet finished. */
  running: number;
}

/**
 * What an attempt tells the throttle about itself while it runs. The unit it took is given back
 * a window after the moment the server is known to have received the request (see `arrival.ts`),
 * so the attempt reports when that became known.
 */
export interface AttemptTicket {
  /**
   * The request is being handed to `fetch` now. With asserted network delays
   * (`networkDelayMs: { min, max }`), the unit may come back `max − min` plus a window after this
   * moment even while the server is still processing (a slow create): call it right before
   * `fetch`, after anything else the attempt awaits (the token function). Without it, or without
   * asserted bounds, the unit waits for the response. With `"measured"`, only attempts that call
   * it teach the budget a round trip.
   */
  sent(): void;
  /**
   * The response headers arrived: the server has received the request. Call it then, not after
   * reading the body. An attempt that settles without calling it is taken as *unanswered* (timed
   * out, aborted in flight, connection failed): its request may still reach the server later, so
   * its unit is held longer (see `UNANSWERED_HOLD_MS`).
   */
  answered(): void;
  /**
   * The server answered 429: besides `answered()`, every call sharing this token's budget for the
   * method class pauses for `retryAfterMs` (no pause when `undefined`), and the budget's ceiling
   * is cut, then climbs back to the limit one request per window (see `backoff.ts`).
   */
  rateLimited(retryAfterMs: number | undefined): void;
  /**
   * Nothing reached the server: the attempt failed before sending (its token function threw), or
   * the connection was refused or the host not found. The unit comes back at once instead of
   * being held as an unanswered request. Never for a reset or a timeout: those may have arrived.
   * Also for an attempt that moves to another token's budget before sending (a rotation).
   */
  unsent(): void;
}

/** What whoever runs an attempt holds: its `AttemptTicket`, and `end` once the attempt settled. */
export interface Ticket extends AttemptTicket {
  /**
   * The attempt settled, however it did: its unit comes back when the arrival model says (at once
   * after `unsent`). Call it exactly once; later calls do nothing.
   */
  end(): void;
}

/** An attempt run under the throttle: invoked once budget allows, with its ticket. */
export type Attempt<T> = (ticket: AttemptTicket) => Promise<T>;

/** What the limiter needs to know about how an attempt ended, to decide when its unit returns. */
export interface AttemptTimes {
  /**
   * When its request was handed to `fetch` (`performance.now()` time), if the attempt said so
   * (`AttemptTicket.sent`). An in-process budget records it only when it reads it (asserted
   * bounds, `"measured"`): otherwise `sent` does not read the clock.
   */
  sentAt: number | undefined;
  /** When its response headers arrived; `undefined` when it ended without a response. */
  answeredAt: number | undefined;
  /** When it settled (for an answered attempt, `answeredAt` may stand for it: nothing after the answer moves the release). */
  endedAt: number;
}

/** One unit of a budget shared through Redis, taken by one attempt (its ticket, `UnitTicket`, keeps the times). */
export interface Unit {
  /** The request leaves now (`performance.now()` time `at`): with a bound on delay, the unit may come back before it ends. */
  sent(at: number): void;
  /** The attempt ran: the limiter gives the unit back once the server surely had it a window ago. */
  release(times: AttemptTimes): void;
  /** Nothing was sent with this unit: back at once. */
  cancel(): void;
  /** The server answered 429: slow every call sharing this budget (see `AttemptTicket.rateLimited`). */
  rateLimited(retryAfterMs: number | undefined): void;
}

/** A budget: one token (by hash) and one method class. */
export interface Limiter {
  /** The ticket of a unit when one is free and nobody waits, at once; `undefined` otherwise. */
  tryTake(): Ticket | undefined;
  /**
   * The ticket of a unit once budget allows, in arrival order. If `signal` aborts while it
   * waits, the promise rejects at once with the signal's reason and no unit is taken.
   */
  take(signal?: AbortSignal): Promise<Ticket>;
  counts(): LimiterCounts;
}
