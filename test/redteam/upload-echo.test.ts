import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAstroClient } from "../../src/index.js";

const TOKEN = "redteam-upload-token-7f3a";
const SIG = "SIGsecretRT99";
const SAS = `sv=2023-11-03&sr=b&sp=cw&sig=${SIG}`;

type Blob = (req: IncomingMessage, res: ServerResponse) => void;
let blob: Blob = (_req, res) => res.writeHead(201, { "x-ms-version-id": "v1" }).end();
let url = "";
const server = createServer((req, res) => {
  if (req.url?.startsWith("/blob")) {
    req.resume();
    req.on("end", () => blob(req, res));
    return;
  }
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    if (req.method === "POST" && /\/deploys$/.test(req.url ?? ""))
      res.end(JSON.stringify({ id: "dep1", dagsUploadUrl: `${url}/blob/dags.tar.gz?${SAS}` }));
    else res.end(JSON.stringify({ id: "dep1", status: "DEPLOYED" }));
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const tarball = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

async function failure(status: number, statusText: string, body = ""): Promise<unknown> {
  // Written raw on the socket: node:http refuses to send a status line like these.
  blob = (_req, res) => {
    const bytes = Buffer.from(body);
    res.socket?.end(
      Buffer.concat([
        Buffer.from(
          `HTTP/1.1 ${status} ${statusText}\r\ncontent-type: text/plain\r\ncontent-length: ${bytes.length}\r\nconnection: close\r\n\r\n`,
          "latin1",
        ),
        bytes,
      ]),
    );
  };
  const events: unknown[] = [];
  const client = createAstroClient({
    token: TOKEN,
    organizationId: "org1",
    baseUrl: url,
    onEvent: (event) => events.push(event),
  });
  try {
    await client.deployDags({ deploymentId: "d1", tarball }, { upload: { maxAttempts: 1 } });
  } catch (error) {
    return { error, events };
  }
  throw new Error("expected the upload to fail");
}

describe("the blob store echoes the SAS query in its status line", () => {
  it("keeps the signature out of the error, its JSON and its inspection", async () => {
    const seen = (await failure(403, `Forbidden for ?${SAS}`)) as { error: Error; events: unknown[] };
    const printed = [
      seen.error.message,
      JSON.stringify(seen.error),
      inspect(seen.error, { depth: 8 }),
      JSON.stringify(seen.events),
    ].join("\n");
    expect(printed).toContain("403");
    expect(printed).not.toContain(SIG);
  });

  it("keeps a status line made of control characters to one printable line", async () => {
    const seen = (await failure(400, `Bad\x1b[31m ${"x".repeat(5000)}`)) as { error: Error };
    // eslint-disable-next-line no-control-regex -- control characters are what the message must not carry
    expect(seen.error.message).not.toMatch(/[\x00-\x1f\x7f]/);
    expect(seen.error.message.length).toBeLessThan(1000);
  });
});
