/**
 * `astro-api-client/mock`: a local stand-in for the Astro API, for testing code that uses the SDK
 * without touching Astro. One Prism mock server per API, serving the pinned OpenAPI documents.
 * @packageDocumentation
 */
import { AstroConfigError } from "../errors/error-classes.js";
import { specs } from "../../generated/specs.js";
import type { ApiName, DocumentName } from "../operations/manifest.js";
import { servableDocument } from "./binary-responses.js";
import { locateDocument } from "./documents.js";
import { startPrism, type PrismServer } from "./prism.js";
import { startMockRouter, type MockRouter } from "./router.js";

export { AstroMockError } from "./mock-error.js";
export { SpecFileError, SpecHashError } from "./spec-files.js";

/** Something per v1beta1 API. */
export type PerApi<T> = Record<ApiName, T>;

/**
 * Options of `startAstroMock`. `D` is the set of documents served: `v1` unless `serve` says
 * otherwise (e.g. `["platform", "iam"]` for the deprecated v1beta1 clients, or all three).
 */
export interface AstroMockOptions<D extends DocumentName = "v1"> {
  /** The pinned documents to serve, one Prism server each (default `["v1"]`). */
  serve?: readonly D[];
  /** Port of the one base URL (`url`), default a free port, so that parallel test files never collide. */
  port?: number;
  /**
   * Ports of the Prism servers themselves (`urls`); a document without one gets a free port
   * (the default).
   */
  ports?: Partial<Record<D, number>>;
  /** The interface to listen on (default `127.0.0.1`). */
  host?: string;
  /**
   * The document to serve for an API, as a file: the pinned document itself (it must have the
   * pinned sha256) or a facts-only document derived from it. Without it the mock serves the
   * facts-only document shipped in the package (`dist/openapi/<api>.facts.json`: the pinned
   * document's paths, parameters, schemas, status codes and examples, without its prose); only
   * if that is missing is the pinned document looked for in `$ASTRO_OPENAPI_DIR`,
   * `../shared/astro-openapi` beside the package, the download cache `.cache/openapi/`, and
   * finally downloaded from Astronomer.
   */
  documents?: Partial<Record<D, string>>;
  /**
   * Generate response bodies from the schemas (random, different on each call) instead of
   * answering with the documents' examples (the default, stable across calls). A single request
   * can ask for either with the header `Prefer: dynamic=true` or `Prefer: dynamic=false`.
   */
  dynamic?: boolean;
  /**
   * Makes generated responses reproducible: with a seed, the same request is answered with the
   * same generated body on every run.
   */
  seed?: string;
  /** Give up when a server has not started after this long (default 60 s). */
  startTimeoutMs?: number;
  /** Receives every line the servers print (one per request), e.g. to debug a failing test. */
  onOutput?: (api: D, line: string) => void;
  /** Environment for the document lookup (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Used to download a document found nowhere on disk (default: the global `fetch`). */
  fetch?: typeof fetch;
}

/** The running mock: pass `url` to `createAstroClient({ baseUrl })`, and call `close()` when done. */
export interface AstroMock<D extends DocumentName = "v1"> {
  /**
   * One base URL for every document served, laid out like the live API (`/v1/...`,
   * `/platform/v1beta1/...`, `/iam/v1beta1/...`): `createAstroClient({ baseUrl: mock.url })`, from
   * either entry.
   */
  readonly url: string;
  /** Each Prism server's own URL, serving its document's paths at the root (e.g. `{ v1: "http://127.0.0.1:4011" }`). */
  readonly urls: Record<D, string>;
  /** The PIDs of the Prism processes. */
  readonly pids: Record<D, number>;
  /**
   * Where the documents the servers serve were found (a file, or the URL they were downloaded
   * from). Prism serves a snapshot of the verified bytes, so later changes to these files do not
   * reach a running mock.
   */
  readonly documents: Record<D, string>;
  /** Stops every server; resolves when their processes have exited. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts a mock of the Astro API: one [Prism](https://stoplight.io/open-source/prism) server per
 * document (v1 by default), behind one base URL on loopback, serving the facts of the pinned
 * OpenAPI documents of this SDK version (everything but their prose). Requests are
 * validated against the documents: an invalid one is answered 400/401/422 with an
 * `sl-violations` header describing what is wrong. Responses come from the documents' examples;
 * a request can ask for a declared error with `Prefer: code=404`.
 *
 * The servers are stopped by `close()`, and also when this process exits or is interrupted
 * (SIGINT, SIGTERM, SIGHUP — or killed outright: Prism exits when its parent is gone).
 *
 * Requires `@stoplight/prism-cli` 5 (a dev dependency of your project).
 *
 * @example
 * ```ts
 * import { createAstroClient } from "astro-api-client";
 * import { startAstroMock } from "astro-api-client/mock";
 *
 * const mock = await startAstroMock();
 * try {
 *   const astro = createAstroClient({ token: "test", baseUrl: mock.url });
 *   const { data } = await astro.GET("/organizations");
 * } finally {
 *   await mock.close();
 * }
 * ```
 */
export async function startAstroMock<D extends DocumentName = "v1">(
  options: AstroMockOptions<D> = {},
): Promise<AstroMock<D>> {
  const names: readonly D[] = options.serve ?? (["v1"] as readonly DocumentName[] as readonly D[]);
  if (names.length === 0 || new Set(names).size !== names.length || names.some((n) => !(n in specs)))
    throw new AstroConfigError(
      `startAstroMock: serve must name each of ${Object.keys(specs).join(", ")} at most once`,
    );
  const documents = await Promise.all(names.map((api) => locateDocument(api, options)));
  // All start together; when one fails, the others are stopped once they are up, never left behind.
  const results = await Promise.allSettled(
    names.map((api, i) =>
      startPrism({
        mode: "mock",
        dynamic: options.dynamic,
        seed: options.seed,
        document: { text: servableDocument(documents[i]!.text), name: `${api}-${specs[api].revision}` },
        port: options.ports?.[api] ?? 0,
        host: options.host,
        startTimeoutMs: options.startTimeoutMs,
        onOutput: options.onOutput && ((line) => options.onOutput?.(api, line)),
      }),
    ),
  );
  const servers = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  let router: MockRouter | undefined;
  const close = async (): Promise<void> => {
    await Promise.all([...servers.map((server) => server.close()), router?.close()]);
  };
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) {
    await close();
    throw failure.reason;
  }
  try {
    router = await startMockRouter(
      names.map((api, i) => ({ prefix: new URL(specs[api].server).pathname, target: servers[i]!.url })),
      options.port ?? 0,
      options.host ?? "127.0.0.1",
    );
  } catch (error) {
    await close();
    throw error;
  }
  const each = <T>(value: (server: PrismServer, i: number) => T): Record<D, T> =>
    Object.fromEntries(names.map((api, i) => [api, value(servers[i]!, i)])) as Record<D, T>;
  return {
    url: router.url,
    urls: each((server) => server.url),
    pids: each((server) => server.pid),
    documents: each((_, i) => documents[i]!.source),
    close,
  };
}
