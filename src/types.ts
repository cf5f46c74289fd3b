import type { FetchResponse, MaybeOptionalInit } from "openapi-fetch";

/** Methods the Astro API uses, lower-case as in generated `paths`. */
export type HttpMethod = "get" | "put" | "post" | "delete" | "patch";

/** Path templates of `Paths` that have method `M`. */
export type PathsWithMethod<Paths, M extends HttpMethod> = {
  [P in keyof Paths]-?: Paths[P] extends Record<M, object> ? P : never;
}[keyof Paths];

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/** Per-call overrides of the client's options. */
export interface CallOptions {
  /** Retries after the first attempt for this call. */
  maxRetries?: number;
  /** Per-attempt timeout for this call, in ms. */
  timeoutMs?: number;
}

/** The `init` argument of a call: required when the operation has required params or a required body. */
export type InitArg<Init> =
  RequiredKeys<Init> extends never ? [init?: Init & CallOptions] : [init: Init & CallOptions];

type SuccessData<Op extends Record<string | number, unknown>> = Exclude<
  Extract<FetchResponse<Op, object, `${string}/${string}`>, { error?: never }>["data"],
  undefined
>;

/**
 * What a call resolves to on success. `data` is the parsed success body, typed from the spec
 * (never `undefined` where the spec declares one); operations without a body (204) have
 * `data: undefined`.
 */
export interface AstroResponse<Data> {
  data: Data;
  response: Response;
}

/** The resolved value of a call of `Op`. */
export type CallResult<Op extends Record<string | number, unknown>> = AstroResponse<
  [SuccessData<Op>] extends [never] ? undefined : SuccessData<Op>
>;

/**
 * One HTTP method of a typed API client, e.g. `astro.platform.GET`. `init` is typed as the
 * operation's options itself (not inferred), so a misspelt or undeclared body field is an error.
 */
export type AstroMethod<Paths extends object, M extends HttpMethod> = <P extends PathsWithMethod<Paths, M>>(
  path: P,
  ...init: InitArg<MaybeOptionalInit<Paths[P], M & keyof Paths[P]>>
) => Promise<CallResult<Paths[P][M & keyof Paths[P]] & Record<string | number, unknown>>>;
