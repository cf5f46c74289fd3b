import { checkApiVersion } from "../client/checks.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { safeLine } from "../errors/server-text.js";

/**
 * Headers a call may not set itself, and why. `fetch` (undici) refuses the hop-by-hop ones, and a
 * Content-Length it cannot read, only when it sends: by then the call held a unit of budget, and
 * the failure read as a connection error — retried, and for a POST reported as one that "may have
 * taken effect" when nothing had left. Host and a valid Content-Length it replaced without a
 * word, and the client replaces `Authorization` with `options.token` on every attempt (the call
 * meant another token; the client's went out).
 */
const REFUSED: Readonly<Record<string, string>> = {
  authorization: "the client sends options.token in it on every attempt; make a client with that token",
  host: "requests go to the client's base URL; fetch names its host",
  "content-length": "fetch counts the body itself",
  "transfer-encoding": "fetch frames the body itself",
  "keep-alive": "fetch manages the connection",
  upgrade: "fetch manages the connection",
  expect: "fetch does not support it",
};

/** A v1 minor as `apiVersion` takes it (checkApiVersion), `"latest"` aside: a header cannot omit itself. */
function isApiMinor(value: string): boolean {
  try {
    return value !== "latest" && checkApiVersion(value) === value;
  } catch {
    return false;
  }
}

/** The `Connection` values fetch sends; it refuses any other. */
const CONNECTION_VALUES = new Set(["close", "keep-alive"]);

/**
 * The headers given as openapi-fetch reads them: a `Headers`, or an object whose `null`/`undefined`
 * values set none (an array value is sent as one header of several values, read here joined).
 */
function givenNames(headers: unknown): [string, string][] {
  if (headers instanceof Headers) {
    const pairs: [string, string][] = [];
    headers.forEach((value, name) => pairs.push([name, value]));
    return pairs;
  }
  if (headers === null || typeof headers !== "object") return [];
  return Object.entries(headers)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([name, value]) => [name, String(value)]);
}

/**
 * Refuses a call's headers that `fetch` would refuse at send time, or the client would replace,
 * and headers given as an array of pairs, which openapi-fetch would send under other names.
 * Anything else (headers `fetch` cannot build) is left to openapi-fetch, which fails before
 * anything is sent. `what` names the call in the message.
 * @throws AstroConfigError
 */
export function checkCallHeaders(headers: unknown, what: string): void {
  // openapi-fetch reads an array as an object (Object.entries): `[["x-trace-id", "t"]]` went out
  // as a header named `0` with the value `x-trace-id, t`, and the caller's header not at all.
  if (Array.isArray(headers))
    throw new AstroConfigError(
      `${what}: headers given as [name, value] pairs would be sent under the names 0, 1…; pass an object or a Headers; nothing was sent`,
    );
  let given: [string, string][];
  try {
    given = givenNames(headers);
  } catch {
    return;
  }
  for (const [rawName, value] of given) {
    const name = rawName.toLowerCase().trim();
    const why = Object.hasOwn(REFUSED, name)
      ? REFUSED[name]
      : name === "connection" && !CONNECTION_VALUES.has(value.toLowerCase().trim())
        ? "fetch sends only close or keep-alive"
        : name === "x-api-version" && !isApiMinor(value)
          ? 'a call may ask for another v1 minor like "1.0", as the apiVersion option does'
          : undefined;
    if (why !== undefined) {
      throw new AstroConfigError(
        `${what}: a call cannot set the ${safeLine(name, 50)} header (${why}); nothing was sent`,
      );
    }
  }
}
