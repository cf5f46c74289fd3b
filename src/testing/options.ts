import type { FaultOptions } from "./faults.js";
import type { RateLimits } from "./gateway.js";
import type { LifecycleOptions } from "./lifecycles.js";

/** The token a fake accepts unless told otherwise (`fake.token`). */
export const DEFAULT_FAKE_TOKEN = "astro-fake-token";
/** The organization every fake starts with (`fake.organizationId`). */
export const DEFAULT_FAKE_ORGANIZATION_ID = "clfakeorg0000000000000001";

/** How a fake behaves: which tokens it accepts, its limits, validation, lifecycles and faults. */
export interface AstroFakeOptions {
  /**
   * The bearer tokens the fake knows (default `[DEFAULT_FAKE_TOKEN]`): a request without one is
   * answered 401, one with another token 403, both in `text/plain` without a requestId, as
   * Astro's gateway answers. `"any"` lets every well-formed bearer token in.
   */
  tokens?: readonly string[] | "any";
  /** The id of the organization the fake starts with (default `DEFAULT_FAKE_ORGANIZATION_ID`). */
  organizationId?: string;
  /**
   * Requests per second per token and method class before the fake answers 429 with
   * `Retry-After` (default Astro's: GET 25, POST 10, DELETE 5); `false` turns the limits off.
   */
  rateLimits?: Partial<RateLimits> | false;
  /**
   * Check each request against the document's schemas and answer 400 with `fieldErrors` when it
   * does not conform (default `true`; needs `ajv`, a dev dependency of your project).
   */
  validate?: boolean;
  /** When pending resources reach their end status (default: on the second read). */
  lifecycles?: LifecycleOptions;
  /** Latency, 5xx and dropped connections, globally or per operation (default none). */
  faults?: FaultOptions;
}
