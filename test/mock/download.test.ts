/**
 * Downloading a pinned document (the mock, `generate`, `specs:check` and `specs:update` share
 * `download`) from a hostile server on loopback: an answer past `MAX_DOCUMENT_BYTES` is a
 * `SpecFileError` as soon as it is known to be, whether its length is declared or it never ends.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { download, MAX_DOCUMENT_BYTES, SpecFileError } from "../../src/mock/spec-files.js";

const MIB = Buffer.alloc(1024 * 1024, "a");
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A loopback server; `closed` counts the answers whose connection the client gave up. */
async function serve(
  answer: (res: import("node:http").ServerResponse) => void,
): Promise<{ url: string; closed: () => number }> {
  let closed = 0;
  server = createServer((_, res) => {
    res.on("close", () => (closed += res.writableFinished ? 0 : 1));
    answer(res);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/spec`, closed: () => closed };
}

/** Writes a MiB at a time for as long as the client reads. */
function endless(res: import("node:http").ServerResponse): void {
  const more = (): void => {
    while (!res.destroyed && res.write(MIB));
    if (!res.destroyed) res.once("drain", more);
  };
  more();
}

describe("download", () => {
  it("returns a document of ordinary size", async () => {
    const { url } = await serve((res) => res.end("openapi: 3.0.3\n"));
    expect(await download(url)).toBe("openapi: 3.0.3\n");
  });

  it("refuses an answer that declares more than MAX_DOCUMENT_BYTES", async () => {
    const size = MAX_DOCUMENT_BYTES + MIB.length;
    const { url } = await serve((res) => {
      res.writeHead(200, { "content-length": size });
      for (let sent = 0; sent < size; sent += MIB.length) res.write(MIB);
      res.end();
    });
    const error = await download(url).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(SpecFileError);
    expect((error as Error).message).toContain(`larger than ${MAX_DOCUMENT_BYTES} bytes`);
  });

  it("cuts an answer that never ends at MAX_DOCUMENT_BYTES, and closes the connection", async () => {
    const { url, closed } = await serve((res) => {
      res.writeHead(200, { "content-type": "application/yaml" });
      endless(res);
    });
    const error = await download(url).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(SpecFileError);
    expect((error as Error).message).toContain(`larger than ${MAX_DOCUMENT_BYTES} bytes`);
    await expect.poll(closed).toBe(1);
  });
});
