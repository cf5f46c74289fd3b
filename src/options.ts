import { specs, type ApiName } from "../generated/operations.js";
import { AstroConfigError } from "./errors.js";
import type { AstroEvent, AstroLogger } from "./events.js";
import type { RetryOptions } from "./retry.js";
import type { ThrottleOptions } from "./throttle/throttle.js";
import type { TokenSource } from "./token.js";

/** Options of `createAstroClient`. Every field is optional. */
export interface AstroClientOptions extends RetryOptions {
  /**
   * An Organization, Workspace or Deployment API token, or a function returning the current one
   * (called before every attempt, so tokens can rotate). Default: `process.env.ASTRO_API_TOKEN`.
   */
  token?: TokenSource;
  /**
   * Fills `{organizationId}` in every call that omits it (an explicit value always wins).
   * Default: `process.env.ASTRO_ORGANIZATION_ID`.
   */
  organizationId?: string;
  /** Default `https://api.astronomer.io`; the APIs live at `/platform/v1beta1` and `/iam/v1beta1` under it. */
  baseUrl?: string;
  /** Full base URL per API, for mocks and proxies (e.g. the URLs `startAstroMock()` returns). Wins over `baseUrl`. */
  urls?: Partial<Record<ApiName, string>>;
  /** A `fetch` implementation (default: the global one). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Per-attempt timeout in ms (default 60,000). */
  timeoutMs?: number;
  /** Per-token rate limits (default Astronomer's: GET 25/s, POST 10/s, DELETE 5/s), or `false` to send unthrottled. */
  throttle?: ThrottleOptions | false;
  /** Prepended to the User-Agent, e.g. `"my-pipeline/1.2"`. */
  userAgent?: string;
  /** Receives request, throttle, retry, response and error events (never the token). */
  onEvent?: (event: AstroEvent) => void;
  /** A leveled logger (`console`, pino…): retries at `warn`, other events at `debug`. */
  logger?: AstroLogger;
}

export const DEFAULT_BASE_URL = "https://api.astronomer.io";
export const DEFAULT_TIMEOUT_MS = 60_000;

function checkUrl(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AstroConfigError(`${option} is not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AstroConfigError(`${option} must be an http(s) URL, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new AstroConfigError(`${option} must not carry credentials; pass the token with options.token`);
  }
  return value.replace(/\/+$/, "");
}

/** Base URL of each API: `urls[api]`, else `baseUrl` + the API's path, else the spec's server. */
export function resolveUrls(options: Pick<AstroClientOptions, "baseUrl" | "urls">): Record<ApiName, string> {
  const base = options.baseUrl === undefined ? undefined : checkUrl(options.baseUrl, "baseUrl");
  const resolve = (api: ApiName): string => {
    const explicit = options.urls?.[api];
    if (explicit !== undefined) return checkUrl(explicit, `urls.${api}`);
    const server = specs[api].server;
    return base === undefined ? server : `${base}${new URL(server).pathname}`;
  };
  return { platform: resolve("platform"), iam: resolve("iam") };
}

export function checkTimeout(value: number | undefined): number {
  const timeout = value ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0) {
    throw new AstroConfigError(`timeoutMs must be a number of milliseconds > 0, got ${String(timeout)}`);
  }
  return timeout;
}

/** A User-Agent prefix must be a header-safe product token list. */
export function checkUserAgent(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[\x20-\x7e]+$/.test(value) || value.trim() === "") {
    throw new AstroConfigError("userAgent must be non-empty printable ASCII (it is sent as a header)");
  }
  return value.trim();
}
