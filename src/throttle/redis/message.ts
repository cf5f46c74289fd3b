import { MAX_PAUSE_MS } from "../backoff.js";

/**
 * The messages processes sharing a budget publish on its Redis channel, and the only reading of
 * them this package trusts.
 *
 * Why a parser of its own: anyone who can publish on that Redis writes here, and a value taken
 * as is did harm — `"rateLimited":"1e4"` (a string) made `now + "1e4"` a date nine days away, and
 * every process's calls of that budget hung. So every field is checked for type and range, the
 * text for size, and anything else is dropped; unknown fields are ignored (a newer release may add
 * some).
 */

/** A 429 seen by one process: pause for `retryAfterMs` (when given), and cut the ceiling. */
export interface RateLimitedMessage {
  /** The server's Retry-After in ms, within (0, `MAX_PAUSE_MS`]; `undefined`: cut only. */
  readonly retryAfterMs: number | undefined;
}

/** Longer texts are not ours (ours are under 40 characters): dropped before parsing. */
const MAX_MESSAGE_LENGTH = 1024;

/** What this process publishes for a 429 (`null`: the server gave no Retry-After). */
export function rateLimitedText(retryAfterMs: number | undefined): string {
  return JSON.stringify({ rateLimited: retryAfterMs ?? null });
}

/**
 * Reads a message from the budget's channel: a `RateLimitedMessage`, or `undefined` for
 * anything else (not JSON, too long, not an object, `rateLimited` missing or of the wrong type).
 * A Retry-After that is not positive or exceeds `MAX_PAUSE_MS` pauses nothing, as one this process
 * got itself (longer ones fail by the retry policy): the message then only cuts the ceiling.
 */
export function parseBudgetMessage(text: unknown): RateLimitedMessage | undefined {
  if (typeof text !== "string" || text.length > MAX_MESSAGE_LENGTH) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  if (!Object.hasOwn(parsed, "rateLimited")) return undefined;
  const value = (parsed as { rateLimited: unknown }).rateLimited;
  if (value === null) return { retryAfterMs: undefined };
  if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
  return { retryAfterMs: value > 0 && value <= MAX_PAUSE_MS ? value : undefined };
}
