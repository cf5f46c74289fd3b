import type { ApiName } from "../../generated/operations.js";
import type { AstroEvent, AstroLogger } from "../events/astro-event.js";
import type { ThrottleOptions } from "../throttle/throttle.js";
import type { RetryOptions } from "../transport/retry.js";
import type { TokenSource } from "../transport/token.js";

/** Options shared by the v1 client and the v1beta1 clients: one runtime serves both. */
export interface RuntimeOptions extends RetryOptions {
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
  /** A `fetch` implementation (default: the global one). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Per-attempt timeout in ms (default 60,000). */
  timeoutMs?: number;
  /**
   * Per-token rate limits (default Astronomer's: GET 25/s, POST 10/s, DELETE 5/s), or `false` to
   * send unthrottled. A token's budget is shared by every client of the process, v1 and v1beta1.
   */
  throttle?: ThrottleOptions | false;
  /** Prepended to the User-Agent, e.g. `"my-pipeline/1.2"`. */
  userAgent?: string;
  /** Receives request, throttle, retry, response, error and workflow events (never the token). */
  onEvent?: (event: AstroEvent) => void;
  /** A leveled logger (`console`, pino…): retries at `warn`, other events at `debug`. */
  logger?: AstroLogger;
}

/** Options of `createAstroClient` (the v1 client). Every field is optional. */
export interface AstroClientOptions extends RuntimeOptions {
  /**
   * The API host, default `https://api.astronomer.io`; requests go to `${baseUrl}/v1/...`. A URL
   * that already ends in `/v1` is refused with an `AstroConfigError` (the client appends it).
   * With the mock: `baseUrl: mock.url`.
   */
  baseUrl?: string;
  /**
   * The v1 minor version sent as `X-API-Version` with every request: default the minor the
   * types were generated from (`specs.v1.apiVersion`, `"1.0"`), another `"1.N"`, or `"latest"`
   * to send no header and get the API's newest minor (which may add fields, enum values and
   * operations the types do not describe).
   */
  apiVersion?: `1.${number}` | "latest";
}

/** Options of the deprecated v1beta1 `createAstroClient` (`astro-api-client/v1beta1`). */
export interface V1beta1ClientOptions extends RuntimeOptions {
  /** Default `https://api.astronomer.io`; the APIs live at `/platform/v1beta1` and `/iam/v1beta1` under it. */
  baseUrl?: string;
  /** Full base URL per API, for proxies. Wins over `baseUrl`. */
  urls?: Partial<Record<ApiName, string>>;
}
