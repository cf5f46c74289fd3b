import { sha256Hex } from "../internal/sha256.js";
import { abortReason, whenAborted } from "./abort-fanout.js";
import { AstroConfigError, AstroTimeoutError } from "../errors/error-classes.js";
import { redact, secretForms } from "../errors/redact.js";
import type { AstroRequestInfo } from "../errors/request-record.js";
import { MAX_DETAIL_LENGTH, safeLine } from "../errors/server-text.js";

/** An API token, or a function returning the current one (for rotation); called before each attempt. */
export type TokenSource = string | (() => string | Promise<string>);

/** The current token: a string at once when it is known, a promise when the caller's function is async. */
export type TokenGetter = () => string | Promise<string>;

export const TOKEN_ENV = "ASTRO_API_TOKEN";

const FUNCTION_ORIGIN = "the token returned by options.token()";

/**
 * A header value must be visible ASCII: whitespace or control characters would let a token
 * inject headers or be silently truncated. The message never includes the value.
 */
export function checkToken(token: unknown, origin: string): string {
  // Every message names ASTRO_API_TOKEN (the README's promise): it is where most tokens come from.
  const hint = origin === TOKEN_ENV ? "" : ` (the API token, read from ${TOKEN_ENV} when omitted)`;
  if (typeof token !== "string") {
    throw new AstroConfigError(
      `${origin} must be a string, got ${token === null ? "null" : typeof token}${hint}`,
    );
  }
  if (token === "") throw new AstroConfigError(`${origin} is empty${hint}`);
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new AstroConfigError(
      `${origin} contains whitespace, control or non-ASCII characters (${token.length} characters)${hint}; ` +
        `copy the token again without surrounding spaces or line breaks`,
    );
  }
  return token;
}

/**
 * How many tokens a rotating token function returned before its current one are still redacted:
 * a server (or a proxy before it) may echo a token it received before the rotation, in a later
 * answer of the same call or of another. Bounded, as each is looked for in every text redacted.
 */
export const MAX_RETIRED_TOKENS = 4;

/** The tokens retired before each current token of a rotating function, with their spellings. */
const retiredBefore = new Map<string, readonly string[]>();

/** Bounds `retiredBefore` for processes that make many clients with rotating tokens. */
const MAX_ROTATING_SOURCES = 256;

/** Records that `current` replaced `previous`, with the tokens retired before it. */
function retire(previous: string, current: string, retired: readonly string[]): void {
  retiredBefore.delete(previous);
  retiredBefore.delete(current);
  if (retiredBefore.size >= MAX_ROTATING_SOURCES) retiredBefore.delete(retiredBefore.keys().next().value!);
  retiredBefore.set(current, [...secretForms(current), ...retired.flatMap((old) => secretForms(old))]);
}

/**
 * What to redact from whatever a call with `token` reports: the token's spellings
 * (`secretForms`), and those of the tokens its function returned before it.
 */
export function tokenSecrets(token: string): readonly string[] {
  return retiredBefore.get(token) ?? secretForms(token);
}

/** Short stable id of a token for limiter keys and logs: never the token itself. */
export function tokenHash(token: string): string {
  return sha256Hex(token).slice(0, 16);
}

/**
 * `tokenHash` for one client: remembers the last token it hashed, so a constant (or rarely
 * rotated) token is hashed once, however many clients with other tokens the process has.
 */
export function rememberingTokenHash(): (token: string) => string {
  let last: string | undefined;
  let hash = "";
  return (token) => {
    if (token !== last) {
      hash = tokenHash(token);
      last = token;
    }
    return hash;
  };
}

/**
 * The caller's token function, made safe to call: its result is checked, and what it throws
 * becomes an `AstroConfigError` whose message is redacted of the last token it returned (a
 * function that fails to refresh often says which token it had). The thrown value itself is not
 * kept as `cause`: it may carry the token in ways redaction cannot see.
 */
function guarded(source: () => string | Promise<string>): TokenGetter {
  let last: string | undefined;
  let retired: readonly string[] = [];
  const accept = (value: unknown): string => {
    const token = checkToken(value, FUNCTION_ORIGIN);
    if (last !== undefined && token !== last) {
      retired = [last, ...retired.filter((old) => old !== token)].slice(0, MAX_RETIRED_TOKENS);
      retire(last, token, retired);
    }
    last = token;
    return token;
  };
  const failed = (error: unknown): never => {
    if (error instanceof AstroConfigError) throw error;
    let what: string;
    try {
      const name = error instanceof Error ? error.name : typeof error;
      const message = error instanceof Error ? error.message : String(error);
      what = `${name}: ${message}`;
    } catch {
      what = typeof error;
    }
    const safe = safeLine(last === undefined ? what : redact(what, tokenSecrets(last)), MAX_DETAIL_LENGTH);
    throw new AstroConfigError(`options.token() failed: ${safe}`);
  };
  const getter: TokenGetter = () => {
    let value: unknown;
    let thenable: boolean;
    try {
      value = source();
      // Read inside the `try`: a `then` getter that throws is the function failing too.
      thenable = value !== null && typeof (value as { then?: unknown })?.then === "function";
    } catch (error) {
      return failed(error);
    }
    if (thenable) return Promise.resolve(value as Promise<unknown>).then(accept, failed);
    return accept(value);
  };
  returned.set(getter, () => last);
  return getter;
}

/** For each token function's getter: the token it returned last. */
const returned = new WeakMap<TokenGetter, () => string | undefined>();

/**
 * What to redact from server text a client repeats outside a call (a waiter's status): the
 * spellings of its constant token, or of the tokens its function returned; none before the first.
 */
export function clientSecrets(getter: TokenGetter): readonly string[] {
  const token = constants.get(getter) ?? returned.get(getter)?.();
  return token === undefined ? [] : tokenSecrets(token);
}

/**
 * Resolves the token source given to the client, falling back to `ASTRO_API_TOKEN`. A string is
 * checked now (construction fails fast); a function is checked on every call.
 */
export function tokenProvider(source: unknown, env: Record<string, string | undefined>): TokenGetter {
  if (typeof source === "function") return guarded(source as () => string | Promise<string>);
  if (source !== undefined) return constant(checkToken(source, "options.token"));
  const fromEnv = env[TOKEN_ENV];
  if (fromEnv === undefined) {
    throw new AstroConfigError(
      `no API token: pass createAstroClient({ token }) or set ${TOKEN_ENV} (an Organization, Workspace or Deployment API token)`,
    );
  }
  return constant(checkToken(fromEnv, TOKEN_ENV));
}

/** The tokens of getters that return a constant, known at construction. */
const constants = new WeakMap<TokenGetter, string>();

function constant(token: string): TokenGetter {
  const getter = () => token;
  constants.set(getter, token);
  return getter;
}

/** The token `getter` always returns, or `undefined` when it calls the caller's function. */
export function constantToken(getter: TokenGetter): string | undefined {
  return constants.get(getter);
}

/**
 * Waits for a token function's promise no longer than the call allows: rejects with the signal's
 * reason when the caller aborts, and with `AstroTimeoutError` after `timeoutMs`.
 */
export function awaitToken(
  pending: Promise<string>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  info: AstroRequestInfo,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const done = () => {
      clearTimeout(timer);
      stop();
    };
    const stop = whenAborted(signal, () => {
      done();
      reject(abortReason(signal!));
    });
    const timer = setTimeout(() => {
      done();
      reject(
        new AstroTimeoutError(
          `options.token() returned no token within ${timeoutMs} ms (${info.method} ${info.path}); nothing was sent`,
          info,
        ),
      );
    }, timeoutMs);
    pending.then(
      (token) => {
        done();
        resolve(token);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}
