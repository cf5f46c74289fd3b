/**
 * What Astro's gateway does before a request reaches the API: it checks the bearer token
 * (answering in plain text, without a requestId, when it refuses one) and counts each token's
 * requests per method class in a sliding second.
 */
import { DEFAULT_LIMITS, methodClass, type RateLimits } from "../throttle/limits.js";

export type { RateLimits };

/**
 * The limits a fake enforces: Astro's published ones (the SDK's throttle defaults) with `limits`
 * over them (each a whole number ≥ 0, checked with the other options in option-checks.ts). 0 is
 * allowed: every request of that class is answered 429.
 */
export function fakeRateLimits(limits: Partial<RateLimits> | undefined): RateLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}

export type AuthResult = { ok: true; token: string } | { ok: false; status: 401 | 403; text: string };

/** `accepted`: the tokens the fake knows, or `"any"` to let every well-formed bearer token in. */
export function authenticate(header: string | undefined, accepted: ReadonlySet<string> | "any"): AuthResult {
  const match = /^Bearer +(\S+)\s*$/i.exec(header ?? "");
  if (!match) return { ok: false, status: 401, text: "Unauthorized" };
  const token = match[1]!;
  if (accepted !== "any" && !accepted.has(token)) return { ok: false, status: 403, text: "Forbidden" };
  return { ok: true, token };
}

const WINDOW_MS = 1000;

/** Counts requests per token and class; `take` answers how long to wait when one is over the limit. */
export interface RateLimiter {
  /** Records a request at `now`; `undefined` when it is within the limit, else ms until a slot frees. */
  take(token: string, method: string, now: number): number | undefined;
  /** How many token-and-class windows are kept (what the sweep bounds). */
  size(): number;
}

/** Every this many requests, windows left idle for a second are dropped. */
const SWEEP_EVERY = 1024;

export function createRateLimiter(limits: RateLimits): RateLimiter {
  // Timestamps of the admitted requests in the last second, oldest first, per token and class.
  const windows = new Map<string, number[]>();
  let taken = 0;
  return {
    take(token, method, now) {
      // With `tokens: "any"` every new token opens a window: idle ones go, so memory stays bounded.
      if (++taken % SWEEP_EVERY === 0)
        for (const [key, times] of windows)
          if (!times.length || times.at(-1)! <= now - WINDOW_MS) windows.delete(key);
      const cls = methodClass(method);
      const key = `${cls} ${token}`;
      let times = windows.get(key);
      if (!times) windows.set(key, (times = []));
      let expired = 0;
      while (expired < times.length && times[expired]! <= now - WINDOW_MS) expired++;
      if (expired) times.splice(0, expired);
      if (times.length >= limits[cls])
        return times.length ? Math.max(1, times[0]! + WINDOW_MS - now) : WINDOW_MS;
      times.push(now);
      return undefined;
    },
    size: () => windows.size,
  };
}
