/**
 * The fake's stand-in for the blob store behind `dagsUploadUrl`: a SAS-style URL on the fake's
 * own server, under a path of its own. It needs no Astro token and is not rate-limited, checks
 * what Azure Blob Storage checks for a block-blob PUT (the signature, `x-ms-blob-type`), keeps
 * the bytes, and answers `201` with the blob's `x-ms-version-id`. Every request it receives is
 * recorded, headers included, so a test can check that the Astro token never reached it.
 */
import type { FakeClock } from "./clock.js";
import type { FakeHttpRequest, FakeHttpResponse } from "./exchange.js";

export const UPLOAD_PREFIX = "/fake-blob/dags/";
/** The operationId fault rules use for the upload URL. */
export const UPLOAD_OPERATION = "UploadDagTarball";

/** A request the upload URL received. */
/** One request the fake's upload URL received (what a test checks of a DAG upload). */
export interface FakeUpload {
  /** The deploy whose upload URL it was sent to. */
  deployId: string;
  /** The HTTP method (Azure wants `PUT`). */
  method: string;
  /** Every header as received, lower-case names. */
  headers: Record<string, string>;
  /** The bytes received. */
  body: Uint8Array;
  /** What the fake answered. */
  status: number;
  /** The blob version it got, when it was stored. */
  versionId?: string;
}

/** An error as Azure Blob Storage answers it: XML with a code, the code also as a header. */
export function azureError(
  status: number,
  code: string,
  message: string,
  requestId: string,
): FakeHttpResponse {
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  return {
    status,
    headers: { "content-type": "application/xml", "x-ms-request-id": requestId, "x-ms-error-code": code },
    body,
  };
}

export class UploadEndpoint {
  private readonly signatures = new Map<string, string>();
  private readonly versions = new Map<string, string[]>();
  readonly received: FakeUpload[] = [];
  private counter = 0;

  constructor(
    private readonly origin: string,
    private readonly clock: FakeClock,
  ) {}

  /** Forgets every URL handed out, blob stored and request received. */
  clear(): void {
    this.signatures.clear();
    this.versions.clear();
    this.received.length = 0;
  }

  /** A fresh upload URL for a deploy. */
  urlFor(deployId: string): string {
    const sig = `fakesig${(++this.counter).toString(36)}`;
    this.signatures.set(deployId, sig);
    return `${this.origin}${UPLOAD_PREFIX}${encodeURIComponent(deployId)}.tar.gz?sv=2023-11-03&sr=b&sp=cw&sig=${sig}`;
  }

  /** The versions stored for a deploy, oldest first. */
  versionsOf(deployId: string): readonly string[] {
    return this.versions.get(deployId) ?? [];
  }

  handle(request: FakeHttpRequest, requestId: string): FakeHttpResponse {
    const name = request.path.slice(UPLOAD_PREFIX.length).replace(/\.tar\.gz$/, "");
    let deployId: string;
    try {
      deployId = decodeURIComponent(name);
    } catch {
      // Not a name this endpoint handed out (a malformed `%` escape): no such blob.
      deployId = name;
    }
    const answer = (response: FakeHttpResponse, versionId?: string): FakeHttpResponse => {
      this.received.push({
        deployId,
        method: request.method,
        headers: request.headers(),
        body: request.body,
        status: response.status,
        ...(versionId === undefined ? {} : { versionId }),
      });
      return response;
    };
    const sig = this.signatures.get(deployId);
    if (sig === undefined)
      return answer(azureError(404, "ResourceNotFound", "The specified resource does not exist.", requestId));
    if (request.query.get("sig") !== sig)
      return answer(
        azureError(403, "AuthenticationFailed", "Server failed to authenticate the request.", requestId),
      );
    if (request.method !== "PUT")
      return answer(
        azureError(
          405,
          "UnsupportedHttpVerb",
          "The resource doesn't support the specified HTTP verb.",
          requestId,
        ),
      );
    const blobType = request.header("x-ms-blob-type");
    if (blobType === undefined)
      return answer(
        azureError(
          400,
          "MissingRequiredHeader",
          "An HTTP header that's mandatory for this request is not specified.",
          requestId,
        ),
      );
    if (blobType !== "BlockBlob")
      return answer(
        azureError(
          400,
          "InvalidHeaderValue",
          "The value for one of the HTTP headers is not in the correct format.",
          requestId,
        ),
      );
    // Azure's version ids are timestamps with 7 fractional digits; the counter keeps them unique.
    const now = new Date(this.clock.now()).toISOString();
    const versionId = `${now.slice(0, 23)}${String(this.counter++ % 10000).padStart(4, "0")}Z`;
    const list = this.versions.get(deployId) ?? [];
    list.push(versionId);
    this.versions.set(deployId, list);
    return answer(
      {
        status: 201,
        headers: {
          etag: `"0x${(this.counter * 7919).toString(16).toUpperCase()}"`,
          "last-modified": new Date(this.clock.now()).toUTCString(),
          "x-ms-request-id": requestId,
          "x-ms-version": "2023-11-03",
          "x-ms-version-id": versionId,
          "x-ms-request-server-encrypted": "true",
        },
      },
      versionId,
    );
  }
}
