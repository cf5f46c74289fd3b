import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the blob store received it, body as bytes. */
export interface BlobRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What to answer to a PUT that satisfies Azure (the default stores it and answers 201 with a version id). */
export type BlobAnswer = (request: BlobRequest, res: ServerResponse, index: number) => void;

export interface BlobServer {
  url: string;
  received: BlobRequest[];
  answer(next: BlobAnswer): void;
  close(): Promise<void>;
}

function azureError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { "content-type": "application/xml" });
  res.end(
    `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
}

/** Stores the blob and answers as Azure's Put Blob does: 201 with a new `x-ms-version-id`. */
export const stored: BlobAnswer = (_request, res, index) => {
  res.writeHead(201, { "x-ms-version-id": `2026-12-01T10:00:0${index}.0000000Z`, etag: `"0x${index}"` });
  res.end();
};

/**
 * A local stand-in for Azure Blob Storage's Put Blob with a SAS URL: it enforces what Azure
 * requires of the request (PUT, `x-ms-blob-type: BlockBlob`, a Content-Length that matches the
 * body, no chunked encoding, and no Authorization header, which a SAS request must not send)
 * and answers Azure's XML errors otherwise. Records every request with its raw bytes.
 */
export async function startBlobServer(): Promise<BlobServer> {
  let answer: BlobAnswer = stored;
  const received: BlobRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: BlobRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      const index = received.push(request) - 1;
      if (request.method !== "PUT")
        return azureError(
          res,
          405,
          "UnsupportedHttpVerb",
          "The resource doesn't support the specified HTTP verb.",
        );
      if (request.headers.authorization !== undefined)
        return azureError(
          res,
          400,
          "InvalidAuthenticationInfo",
          "Authorization header must not be sent with a SAS.",
        );
      if (request.headers["x-ms-blob-type"] !== "BlockBlob")
        return azureError(
          res,
          400,
          "MissingRequiredHeader",
          "An HTTP header that's mandatory for this request is not specified.",
        );
      if (
        request.headers["transfer-encoding"] !== undefined ||
        request.headers["content-length"] === undefined
      )
        return azureError(res, 411, "MissingContentLengthHeader", "Content-Length is required.");
      if (Number(request.headers["content-length"]) !== request.body.length)
        return azureError(res, 400, "InvalidHeaderValue", "Content-Length does not match the body.");
      answer(request, res, index);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (next) => {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export { azureError };
