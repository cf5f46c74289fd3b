import type { FetchResponse, HeadersOptions, MaybeOptionalInit } from "openapi-fetch";
import type { HttpMethod, PathsWithMethod, RequiredKeysOf } from "openapi-typescript-helpers";
import type { OrgOptional, WithOrgDefault } from "./organization.js";
import type { Paginator } from "./paginate.js";

/** Per-call overrides of the client's options. */
export interface CallOptions {
  /** Retries after the first attempt for this call. */
  maxRetries?: number;
  /** Per-attempt timeout for this call, in ms. */
  timeoutMs?: number;
}

/** The `init` argument of a call: required when the operation has required params or a required body. */
export type InitArg<Init> =
  RequiredKeysOf<Init> extends never ? [init?: Init & CallOptions] : [init: Init & CallOptions];

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
  /** The parsed success body (`undefined` for operations without one). */
  data: Data;
  /** The HTTP response, its body already read. */
  response: Response;
}

/**
 * The data of a binary response (`application/octet-stream`, e.g. `getOrganizationAuditLogs`):
 * the server's bytes, untouched (not decoded, parsed or redacted), as the response's own stream,
 * read as they arrive, e.g. `await pipeline(Readable.fromWeb(data), createWriteStream(file))`.
 */
export type BinaryBody = ReadableStream<Uint8Array>;

type IsBinary<Op> = Op extends { responses: { 200: { content: { "application/octet-stream": unknown } } } }
  ? true
  : false;

/** The resolved value of a call of `Op`. */
export type CallResult<Op extends Record<string | number, unknown>> =
  IsBinary<Op> extends true
    ? AstroResponse<BinaryBody>
    : AstroResponse<[SuccessData<Op>] extends [never] ? undefined : SuccessData<Op>>;

/**
 * One HTTP method of a typed API client, e.g. `astro.platform.GET`. `init` is typed as the
 * operation's options itself (not inferred), so a misspelt or undeclared body field is an error.
 */
export type AstroMethod<Paths extends object, M extends HttpMethod> = <P extends PathsWithMethod<Paths, M>>(
  path: P,
  ...init: InitArg<WithOrgDefault<MaybeOptionalInit<Paths[P], M & keyof Paths[P]>>>
) => Promise<CallResult<Op<Paths, P, M>>>;

type Op<Paths, P extends keyof Paths, M extends HttpMethod> = Paths[P][M & keyof Paths[P]] &
  Record<string | number, unknown>;

/** Options of `paginate`, beside the call's own. */
export interface PaginateOptions {
  /** Items per request (default 1,000). */
  pageSize?: number;
}

/** The element type of `Data[Key]`. */
export type ItemOf<Data, Key> = Key extends keyof Data
  ? NonNullable<Data[Key]> extends readonly (infer E)[]
    ? E
    : never
  : never;

/**
 * `paginate` of an API client: typed to the paginated operations only (from the manifest:
 * `offset`/`limit` in, `totalCount` out). `offset` and `limit` are managed by the paginator.
 */
export type PaginateMethod<Paths extends object, PaginatedMap> = <
  P extends keyof PaginatedMap & PathsWithMethod<Paths, "get">,
>(
  path: P,
  ...init: InitArg<WithOrgDefault<MaybeOptionalInit<Paths[P], "get" & keyof Paths[P]>> & PaginateOptions>
) => Paginator<ItemOf<CallResult<Op<Paths, P, "get">>["data"], PaginatedMap[P]>>;

/** The path parameters of operation type `O` (an `operations[…]` entry of the generated types). */
type PathParamsOf<O> = O extends { parameters: { path: infer X } } ? X : object;
// An absent `query?: never` infers as `undefined`: NonNullable of it is never, which means "none".
/** The query parameters of operation type `O`; `object` when it declares none. */
type QueryParamsOf<O> = O extends { parameters: { query?: infer Q } }
  ? [NonNullable<Q>] extends [never]
    ? object
    : NonNullable<Q>
  : object;
/** `{ body }` typed as operation type `O`'s JSON request body, when it takes one. */
type BodyOf<O> = O extends { requestBody: { content: { "application/json": infer B } } }
  ? { body: B }
  : O extends { requestBody?: { content: { "application/json": infer B } } }
    ? [NonNullable<B>] extends [never]
      ? object
      : { body?: B }
    : object;

/** The single argument of an operation method: path and query params side by side, the request body under `body`. */
export type OperationArgs<O> = OrgOptional<PathParamsOf<O>> & QueryParamsOf<O> & BodyOf<O>;

/** Per-call options of an operation method. */
export interface MethodOptions extends CallOptions {
  /** Aborts this call (its waits and retries too); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Extra request headers; an `Authorization` among them is replaced by the client's token. */
  headers?: HeadersOptions;
}

/** An operation called by name, e.g. `astro.platform.listDeployments({ limit: 50 })`. */
export type OperationMethod<O> = (
  ...args: RequiredKeysOf<OperationArgs<O>> extends never
    ? [args?: OperationArgs<O>, options?: MethodOptions]
    : [args: OperationArgs<O>, options?: MethodOptions]
) => Promise<CallResult<O & Record<string | number, unknown>>>;

/** Every operation of an API as a method, named by the generated map (whose TSDoc the methods keep). */
export type OperationMethods<Operations, Ids> = {
  [Name in keyof Ids]: OperationMethod<Operations[Ids[Name] & keyof Operations]>;
};
