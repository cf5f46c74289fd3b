import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { safeCause } from "../errors/safe-cause.js";
import { AstroDeployError } from "./errors.js";
import { isLoopback, refusedHost, type UploadHostPolicy } from "./host-ranges.js";
import { redactQuery, sigForms } from "./sas.js";
import type { Tarball } from "./pack.js";
import { readBounded } from "../transport/bounded-body.js";
import { MAX_TIMER_MS, sleep } from "../transport/timers.js";

/** How the upload to the blob store is retried. */
export interface UploadOptions {
  /** Attempts in all, first included (default 4). */
  maxAttempts?: number;
  /** Per-attempt limit in ms, for the whole PUT (default 600,000). */
  timeoutMs?: number;
  /**
   * Upload to a loopback, link-local or private-range host even though the API is not on
   * loopback (default false: such an upload URL is refused before any connection). For tests and
   * emulators that answer the API remotely but store blobs locally.
   */
  allowPrivateHosts?: boolean;
}

interface UploadContext {
  deploymentId: string;
  deployId: string;
  signal: AbortSignal | undefined;
  onProgress: (bytesSent: number, attempt: number) => void;
}

/** Statuses worth another attempt: the store was busy or failed, and a PUT of the same bytes is idempotent. */
const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);
const CHUNK = 64 * 1024;
const DETAIL_MAX = 300;
/** Bytes of an error body read at most: enough for Azure's XML error, bounded against a hostile store. */
const ERROR_BODY_MAX = 8 * 1024;

function positiveInt(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw new AstroConfigError(
      `upload.${name} must be an integer from 1 to ${max}, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** The upload options over their defaults, checked (before anything is created on the Deployment). */
export function resolveUploadOptions(options: UploadOptions = {}): Required<UploadOptions> {
  return {
    maxAttempts: positiveInt(options.maxAttempts, "maxAttempts", 4, 20),
    timeoutMs: positiveInt(options.timeoutMs, "timeoutMs", 600_000, MAX_TIMER_MS),
    allowPrivateHosts: flag(options.allowPrivateHosts, "allowPrivateHosts"),
  };
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean")
    throw new AstroConfigError(`upload.${name} must be a boolean, got ${describeValue(value)}`);
  return value;
}

/** The upload URL without its query (the SAS signature): the only form that goes in errors and events. */
export function redactUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * Checks the upload URL CreateDeploy returned: https (http only on loopback, for emulators and
 * tests, since its query carries a signature), no credentials in it, and — unless the API itself
 * is on loopback or `allowPrivateHosts` — not a loopback, link-local or private-range host.
 */
export function checkUploadUrl(
  value: unknown,
  info: { deploymentId: string; deployId: string },
  policy: UploadHostPolicy = { apiUrl: undefined, allowPrivateHosts: false },
): URL {
  const refuse = (why: string) =>
    new AstroDeployError(`CreateDeploy returned an unusable dagsUploadUrl (${why}); nothing was uploaded`, {
      step: "upload",
      ...info,
    });
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw refuse("not a URL");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.href)))
    throw refuse(`${url.protocol} is not https`);
  if (url.username || url.password) throw refuse("it carries credentials");
  const refused = refusedHost(url, policy);
  if (refused) throw refuse(refused);
  return url;
}

/** The blob store's words from an error body: Azure's `<Code>`/`<Message>` when present, printable and bounded. */
function detailOf(text: string, url: URL): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  let detail = code || message ? [code, message?.split("\n")[0]].filter(Boolean).join(": ") : text;
  detail = redactQuery(detail, url)
    .replace(/(sig=)[^&\s"<]*/gi, "$1[redacted]")
    .replace(/[^\x20-\x7e]+/g, " ")
    .trim();
  return detail.length > DETAIL_MAX ? `${detail.slice(0, DETAIL_MAX)}…` : detail;
}

/** The request body as a stream over the buffered bytes, reporting what the connection has taken. */
function bodyStream(bytes: Uint8Array, report: (sent: number) => void): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      const chunk = bytes.subarray(offset, offset + CHUNK);
      offset += chunk.length;
      controller.enqueue(chunk);
      report(offset);
    },
  });
}

/**
 * PUTs the tarball to the blob store as a block blob and returns the blob's version id.
 *
 * This request is built from nothing: it never carries the Astro token (nor any header of the API
 * client), does not go through the Astro throttle, and is not redirected (a redirect could carry
 * the body and the SAS query elsewhere). Busy or failed answers (408, 429, 5xx) and connection
 * errors are retried with backoff up to `maxAttempts`, resending the same bytes.
 */
export async function uploadTarball(
  url: URL,
  tarball: Tarball,
  context: UploadContext,
  options: UploadOptions = {},
): Promise<string> {
  const { maxAttempts, timeoutMs } = resolveUploadOptions(options);
  const where = redactUrl(url);
  const ids = { deploymentId: context.deploymentId, deployId: context.deployId };
  const aborted = () =>
    new AstroDeployError(
      `the upload to ${where} was aborted`,
      { step: "upload", ...ids },
      { cause: context.signal?.reason },
    );
  let last: AstroDeployError | undefined;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (context.signal?.aborted) throw aborted();
    if (attempt > 1) {
      const delayMs = Math.min(8_000, 250 * 2 ** (attempt - 2)) * (0.5 + Math.random() / 2);
      await sleep(delayMs, context.signal).catch(() => {
        throw aborted();
      });
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = context.signal ? AbortSignal.any([context.signal, timeout]) : timeout;
    context.onProgress(0, attempt);
    let response: Response;
    try {
      response = await globalThis.fetch(url, {
        method: "PUT",
        headers: {
          "x-ms-blob-type": "BlockBlob",
          "content-type": tarball.contentType,
          "content-length": String(tarball.bytes.length),
        },
        body: bodyStream(tarball.bytes, (sent) => context.onProgress(sent, attempt)),
        duplex: "half",
        redirect: "manual",
        signal,
      } as RequestInit);
    } catch (error) {
      if (context.signal?.aborted) throw aborted();
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = timeout.aborted
        ? `no answer within ${timeoutMs} ms`
        : redactQuery(
            `${cause?.code ?? (error as Error).name}: ${cause?.message ?? (error as Error).message}`,
            url,
          );
      last = new AstroDeployError(
        `the upload to ${where} failed: ${why}`,
        { step: "upload", ...ids },
        { cause: safeCause(error, sigForms(url)) },
      );
      continue;
    }
    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel().catch(() => undefined);
      const version = response.headers.get("x-ms-version-id");
      if (!version || !/^[\x21-\x7e]{1,200}$/.test(version)) {
        throw new AstroDeployError(
          `the blob store accepted the upload (${response.status}) but sent no usable x-ms-version-id, which FinalizeDeploy needs; the deploy was not finalized`,
          { step: "upload", ...ids, status: response.status },
        );
      }
      return version;
    }
    // The status text is the store's words too: redacted and bounded like the body.
    const detail =
      detailOf(
        await readBounded(response, ERROR_BODY_MAX).then(
          (body) => body.text,
          () => "",
        ),
        url,
      ) || detailOf(response.statusText, url);
    const refused = new AstroDeployError(
      `the blob store refused the upload to ${where}: ${response.status} ${detail}`,
      { step: "upload", ...ids, status: response.status, detail },
    );
    if (!RETRYABLE.has(response.status)) throw refused;
    last = refused;
  }
  throw new AstroDeployError(
    `${last?.message ?? "the upload failed"} (after ${maxAttempts} attempts)`,
    {
      step: "upload",
      ...ids,
      status: last?.status,
      detail: last?.detail,
    },
    { cause: last?.cause ?? last },
  );
}
