/**
 * What Astro's gateway does before a request reaches the API: it checks the bearer token
 * (answering in plain text, without a requestId, when it refuses one) and counts each token's
 * requests per method class in a sliding second.
 */

/** Requests per second a token may make, per method class (Astro's published limits by default). */
export interface RateLimits {
  get: number;
  post: number;
  delete: number;
}

export const ASTRO_RATE_LIMITS: Readonly<RateLimits> = { get: 25, post: 10, delete: 5 };

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
}

export function createRateLimiter(limits: RateLimits): RateLimiter {
  // Timestamps of the admitted requests in the last second, oldest first, per token and class.
  const windows = new Map<string, number[]>();
  return {
    take(token, method, now) {
      const cls =
        method.toLowerCase() === "delete" ? "delete" : method.toLowerCase() === "get" ? "get" : "post";
      const key = `${cls} ${token}`;
      let times = windows.get(key);
      if (!times) windows.set(key, (times = []));
      let expired = 0;
      while (expired < times.length && times[expired]! <= now - WINDOW_MS) expired++;
      if (expired) times.splice(0, expired);
      if (times.length >= limits[cls]) return Math.max(1, times[0]! + WINDOW_MS - now);
      times.push(now);
      return undefined;
    },
  };
}
