import type { Redis as IORedis } from "ioredis";
import { CUT_FACTOR, MAX_PAUSE_MS } from "../backoff.js";
import { timeout } from "./backend.js";
import { SHARED_TERMS_LUA } from "./shared-terms.lua.js";

/**
 * A declaration lives this long without a refresh: a process that died (or stalled this long)
 * stops constraining the budget after it. Refreshed at every grant and every `REFRESH_MS`.
 */
export const DECLARATION_TTL_MS = 5000;
/** How often a live limiter refreshes its declaration while it makes no call. */
export const REFRESH_MS = 1000;
/** The name the script is registered under on the ioredis client. */
const COMMAND = "astroSharedTerms";

/** The terms every process sharing a budget agrees on, as the last reply from Redis gave them. */
export interface Terms {
  /** Units the whole budget may hold at once: the strictest live limit, lowered by a 429 cut. */
  readonly ceiling: number;
  /** The longest window of the live processes (at least this process's own). */
  readonly windowMs: number;
}

/** What this process asks for a budget. */
export interface OwnTerms {
  limit: number;
  windowMs: number;
  /** A longer window than this, declared by another process, is taken as this (its slots' lease). */
  maxWindowMs: number;
  keyTtlMs: number;
}

type Command = (...args: (string | number)[]) => Promise<unknown>;

/** A reply of the script, checked: three finite numbers, or `undefined`. */
function parseReply(reply: unknown): { allowed: boolean; ceiling: number; windowMs: number } | undefined {
  if (!Array.isArray(reply) || reply.length !== 3) return undefined;
  const [allowed, ceiling, windowMs] = reply.map(Number) as [number, number, number];
  if (![allowed, ceiling, windowMs].every(Number.isFinite) || ceiling < 1) return undefined;
  return { allowed: allowed === 1, ceiling, windowMs };
}

/**
 * One process's part in a budget shared through Redis beyond Bottleneck's slots: it declares its
 * limit and window (refreshed while in use), and every grant is checked, atomically on Redis'
 * clock, against the strictest live declaration and the shared 429 cut — the same terms the
 * in-process budget takes from `WindowLimiter.join` and `Backoff`, across processes.
 *
 * The check also writes the result into Bottleneck's `maxConcurrent`, so Bottleneck itself
 * hands out no more slots; the check stays because Bottleneck re-creates its settings with the
 * creating process's own limit after its keys expired or Redis restarted.
 */
export class SharedTerms {
  readonly #client: IORedis;
  readonly #own: OwnTerms;
  readonly #keys: [string, string];
  readonly #channel: string;
  readonly #member: string;
  readonly #timeoutMs: number;
  #terms: Terms;

  /**
   * `id` is the budget's Bottleneck id (`<prefix>:<token hash>:<class>`); `member` names this
   * limiter's declaration (the same across reconnections, so it replaces itself).
   */
  constructor(client: IORedis, id: string, member: string, own: OwnTerms, timeoutMs: number) {
    this.#client = client;
    this.#member = member;
    this.#own = { ...own, windowMs: Math.ceil(own.windowMs), maxWindowMs: Math.floor(own.maxWindowMs) };
    this.#keys = [`${id}:terms`, `b_${id}_settings`];
    this.#channel = `b_${id}`;
    this.#timeoutMs = timeoutMs;
    this.#terms = { ceiling: own.limit, windowMs: this.#own.windowMs };
    const host = client as unknown as Record<string, unknown>;
    if (typeof host[COMMAND] !== "function") {
      client.defineCommand(COMMAND, { numberOfKeys: 2, lua: SHARED_TERMS_LUA });
    }
  }

  /** The terms of the last reply (this process's own before any). */
  get terms(): Terms {
    return this.#terms;
  }

  /**
   * Refreshes this process's declaration and checks a grant: `true` when the budget's running
   * slots (the one just granted included) are within the shared ceiling.
   */
  async declare(): Promise<boolean> {
    return (await this.#run("declare", 0)).allowed;
  }

  /** A 429 here: cut the shared ceiling (once per window) and start its climb after `pauseMs`. */
  async cut(pauseMs: number | undefined): Promise<void> {
    await this.#run("cut", pauseMs ?? 0);
  }

  /** This process leaves: its declaration stops constraining the others at once. */
  async leave(): Promise<void> {
    await this.#run("leave", 0);
  }

  async #run(op: string, pauseMs: number): Promise<{ allowed: boolean }> {
    const own = this.#own;
    const command = (this.#client as unknown as Record<string, Command>)[COMMAND]!;
    const limit = timeout(this.#timeoutMs);
    let reply: unknown;
    try {
      reply = await Promise.race([
        command.call(
          this.#client,
          ...this.#keys,
          op,
          this.#member,
          own.limit,
          own.windowMs,
          own.maxWindowMs,
          DECLARATION_TTL_MS,
          own.keyTtlMs,
          this.#channel,
          Number.isFinite(pauseMs) ? Math.max(0, Math.min(pauseMs, MAX_PAUSE_MS)) : 0,
          CUT_FACTOR,
          MAX_PAUSE_MS,
        ),
        limit.promise,
      ]);
    } finally {
      limit.cancel();
    }
    const parsed = parseReply(reply);
    if (!parsed) throw new Error("unexpected reply from the shared-terms script");
    if (op !== "leave") {
      // Never above this process's own terms, whatever the reply says.
      this.#terms = {
        ceiling: Math.min(parsed.ceiling, own.limit),
        windowMs: Math.min(Math.max(parsed.windowMs, own.windowMs), Math.max(own.maxWindowMs, own.windowMs)),
      };
    }
    return parsed;
  }
}
