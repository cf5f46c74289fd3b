import { redact, secretForms } from "../../errors/redact.js";
/**
 * A Redis URL may carry a password (`redis://:secret@host:6379`). Everything this SDK says about
 * Redis — errors, warnings, `toJSON()` — goes through here so the password never leaves.
 */
export interface RedisTarget {
  /** The URL with its password replaced by `***`, or a description of a client given as is. */
  display: string;
  /** Strings to cut out of any message from Redis or ioredis (the password, raw and decoded). */
  secrets: string[];
}

/** Describes a Redis URL safely; `undefined` when it does not parse (then it is never echoed). */
export function describeRedisUrl(raw: string): RedisTarget | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const secrets: string[] = [];
  if (url.password) {
    // The password as written, and as ioredis sends it (decoded) in every spelling `redact` knows.
    let password = url.password;
    secrets.push(password);
    try {
      password = decodeURIComponent(url.password);
    } catch {
      // A malformed escape: the raw form is listed.
    }
    secrets.push(...secretForms(password));
    url.password = "***";
  }
  return { display: url.href.replace(/\/$/, ""), secrets: [...new Set(secrets)].filter(Boolean) };
}

/** The message of anything thrown, without secrets. Never the error object itself: ioredis errors carry the AUTH arguments. */
export function safeMessage(error: unknown, secrets: readonly string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  return redact(message, secrets);
}
