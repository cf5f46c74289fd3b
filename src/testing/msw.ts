/**
 * The fake as [msw](https://mswjs.io) request handlers, for tests that intercept `fetch` instead
 * of opening a port. The caller passes its own msw module (`import * as msw from "msw"`): the SDK
 * neither depends on msw nor names its types, so a project without msw type-checks and bundles
 * this entry as it is, and the handlers are of the caller's msw version.
 */
import { v1FakeModel } from "../../generated/v1-fake-model.js";
import type { AstroFakeControls } from "./controls.js";
import type { FakeHttpRequest, FakeHttpResponse } from "./exchange.js";
import { BASE_PATH, createFakeCore } from "./fake-api.js";
import type { AstroFakeOptions } from "./options.js";
import { UPLOAD_PREFIX } from "./uploads.js";
import { checkUrl } from "../client/checks.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { describeValue } from "../errors/describe-value.js";
import { safeLine } from "../errors/server-text.js";
import { checkFakeOptions } from "./option-checks.js";

/** Options of `astroFakeHandlers`: the fake's behaviour, and the origins it answers for. */
export interface AstroFakeHandlersOptions extends AstroFakeOptions {
  /** The origin the client sends to (default `https://api.astronomer.io`, the SDK's default). */
  baseUrl?: string;
  /**
   * The origin of the upload URLs the fake hands out (default `https://fake-blob.astro.invalid`):
   * another host than the API, as Astro's blob store is.
   */
  uploadOrigin?: string;
}

/** What the fake uses of msw 2: `http.all` and `HttpResponse.error`. */
export interface MswModule<Handler> {
  /** msw's `http` namespace: the fake registers one catch-all handler per origin. */
  http: {
    /** A handler for every method at `path`. */
    all(path: string, resolver: (info: { request: Request }) => Promise<Response>): Handler;
  };
  /** msw's `HttpResponse`: `error()` stands for a dropped connection. */
  HttpResponse: {
    /** A network error, as a reset connection looks to `fetch`. */
    error(): Response;
  };
}

/** The fake as msw handlers, with the same state, clock and fault controls as `startAstroFake`. */
export interface AstroFakeHandlers<Handler> extends AstroFakeControls {
  /** Pass them to msw's `setupServer` (or `server.use`). */
  readonly handlers: readonly Handler[];
}

/**
 * An origin, checked as the client checks a base URL (http(s), no credentials, no query): a
 * value that is no URL was `new URL`'s `TypeError`, and any other scheme had the origin `"null"`,
 * on which the handlers match nothing the client sends.
 */
function origin(value: unknown, option: string): string {
  const url = new URL(checkUrl(value, option));
  if (url.pathname !== "/")
    throw new AstroConfigError(
      `${option} must be an origin, got ${safeLine(url.origin + url.pathname, 200)}`,
    );
  return url.origin;
}

/** The caller's msw module has what the fake uses (a missing one failed as a `TypeError` of ours). */
function checkMsw(msw: unknown): void {
  const module = msw as Partial<MswModule<unknown>> | null | undefined;
  const usable = typeof module?.http?.all === "function" && typeof module?.HttpResponse?.error === "function";
  if (!usable)
    throw new AstroConfigError(
      `astroFakeHandlers takes msw's module (import * as msw from "msw"), got ${describeValue(msw)} without http.all and HttpResponse.error`,
    );
}

async function toFakeRequest(request: Request): Promise<FakeHttpRequest> {
  const url = new URL(request.url);
  const headers = request.headers;
  return {
    method: request.method,
    path: url.pathname,
    query: url.searchParams,
    header: (name) => headers.get(name) ?? undefined,
    headers: () => {
      const out: Record<string, string> = {};
      headers.forEach((value, name) => (out[name] = value));
      return out;
    },
    body: new Uint8Array(await request.arrayBuffer()),
  };
}

/**
 * Creates the fake and msw handlers that route the API's and the upload URLs' requests to it.
 *
 * @example
 * ```ts
 * import * as msw from "msw";
 * import { setupServer } from "msw/node";
 * const fake = await astroFakeHandlers(msw);
 * setupServer(...fake.handlers).listen();
 * ```
 */
export async function astroFakeHandlers<Handler>(
  msw: MswModule<Handler>,
  options: AstroFakeHandlersOptions = {},
): Promise<AstroFakeHandlers<Handler>> {
  checkMsw(msw);
  checkFakeOptions(options);
  const { http, HttpResponse } = msw;
  const api = origin(options.baseUrl ?? "https://api.astronomer.io", "baseUrl");
  const uploads = origin(options.uploadOrigin ?? "https://fake-blob.astro.invalid", "uploadOrigin");
  const core = await createFakeCore(v1FakeModel, options, uploads);
  const respond = async (request: Request): Promise<Response> => {
    const response: FakeHttpResponse = core.handle(await toFakeRequest(request));
    if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
    if (response.reset) return HttpResponse.error();
    // A Uint8Array is a body fetch takes; TypeScript's DOM types only admit some of its kinds.
    const body = (response.body ?? null) as BodyInit | null;
    return new Response(body, { status: response.status, headers: response.headers });
  };
  // The fake sees upload requests by their path alone: only the upload origin may reach it.
  const handlers = [
    http.all(`${api}${BASE_PATH}/*`, ({ request }) => respond(request)),
    http.all(`${uploads}${UPLOAD_PREFIX}*`, ({ request }) => respond(request)),
  ];
  return { ...core.controls, handlers };
}
