import type { ApiName } from "../../generated/operations.js";
import type { AstroEvent, AstroLogger } from "../events/astro-event.js";
import type { ThrottleOptions } from "../throttle/throttle.js";
import type { RetryOptions } from "../transport/retry.js";
import type { TokenSource } from "../transport/token.js";

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
