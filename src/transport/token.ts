import { createHash } from "node:crypto";
import { AstroConfigError } from "../errors/error-classes.js";

/** An API token, or a function returning the current one (for rotation); called before each attempt. */
export type TokenSource = string | (() => string | Promise<string>);

export const TOKEN_ENV = "ASTRO_API_TOKEN";

/**
 * A header value must be visible ASCII: whitespace or control characters would let a token
 * inject headers or be silently truncated. The message never includes the value.
 */
export function checkToken(token: unknown, origin: string): string {
  if (typeof token !== "string") {
    throw new AstroConfigError(`${origin} must be a string, got ${token === null ? "null" : typeof token}`);
  }
  if (token === "") throw new AstroConfigError(`${origin} is empty`);
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new AstroConfigError(
      `${origin} contains whitespace, control or non-ASCII characters (${token.length} characters); ` +
        `copy the token again without surrounding spaces or line breaks`,
    );
  }
  return token;
}

/** Short stable id of a token for limiter keys and logs: never the token itself. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}

/**
 * Resolves the token source given to the client, falling back to `ASTRO_API_TOKEN`. A string is
 * checked now (construction fails fast); a function is checked on every call.
 */
export function tokenProvider(
  source: TokenSource | undefined,
  env: Record<string, string | undefined>,
): () => Promise<string> {
  if (typeof source === "function") {
    return async () => checkToken(await source(), "the token returned by options.token()");
  }
  if (source !== undefined) {
    const token = checkToken(source, "options.token");
    return () => Promise.resolve(token);
  }
  const fromEnv = env[TOKEN_ENV];
  if (fromEnv === undefined) {
    throw new AstroConfigError(
      `no API token: pass createAstroClient({ token }) or set ${TOKEN_ENV} (an Organization, Workspace or Deployment API token)`,
    );
  }
  const token = checkToken(fromEnv, TOKEN_ENV);
  return () => Promise.resolve(token);
}
