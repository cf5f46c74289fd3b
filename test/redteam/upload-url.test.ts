/**
 * The dagsUploadUrl CreateDeploy returns, as a hostile API would choose it: plain http to another
 * host, credentials, other schemes, a blob store that redirects elsewhere. Nothing is uploaded
 * where it should not go, and nothing the upload host could use (token, SAS) is reported.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AstroError, createAstroClient } from "../../src/index.js";
import { outcome } from "./outcome.js";

const TOKEN = "upload-url-SECRET-77";
let uploadUrl = "";
const received: { host: string; url: string; authorization?: string }[] = [];
let apiUrl = "";
let otherUrl = "";
const api = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (req.url?.startsWith("/blob")) {
      received.push({ host: "api", url: req.url, authorization: req.headers.authorization });
      res.writeHead(307, { location: `${otherUrl}/steal${req.url.slice(5)}` });
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "dep1", dagsUploadUrl: uploadUrl }));
  });
});
const other = createServer((req, res) => {
  received.push({ host: "other", url: req.url ?? "", authorization: req.headers.authorization });
  req.resume();
  res.writeHead(201, { "x-ms-version-id": "v" }).end();
});
const listen = (server: typeof api) =>
  new Promise<string>((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
beforeAll(async () => {
  apiUrl = await listen(api);
  otherUrl = (await listen(other)).replace("127.0.0.1", "localhost");
});
afterAll(async () => {
  await new Promise((resolve) => api.close(resolve));
  await new Promise((resolve) => other.close(resolve));
});

const tarball = new Uint8Array([0x1f, 0x8b, 8, 0]);
const deploy = () =>
  createAstroClient({ token: TOKEN, organizationId: "o", baseUrl: apiUrl, throttle: false }).deployDags(
    { deploymentId: "d", tarball },
    { upload: { maxAttempts: 2 } },
  );

describe("a hostile dagsUploadUrl", () => {
  it("is refused before any byte is sent when it is not https (or http on loopback) or carries credentials", async () => {
    const unusable = fc.constantFrom(
      "http://blob.example/c/dags.tgz?sig=S",
      "http://127.0.0.1.nip.io/x",
      "http://localhost.example/x",
      "https://user:pw@blob.example/x",
      "https://:pw@blob.example/x",
      "ftp://blob.example/x",
      "file:///etc/passwd",
      "data:,x",
      "javascript:alert(1)",
      "//blob.example/x",
      "/relative",
      "",
      "not a url",
    );
    await fc.assert(
      fc.asyncProperty(unusable, async (url) => {
        uploadUrl = url;
        received.length = 0;
        const error = await outcome(deploy);
        expect(error).toBeInstanceOf(AstroError);
        expect(received).toHaveLength(0);
        expect(String(error)).not.toContain("sig=S");
      }),
    );
  });

  it("a blob store that redirects to another host: not followed, the other host gets nothing, no SAS reported", async () => {
    uploadUrl = `${apiUrl}/blob/dags.tgz?sv=1&sig=SASSIG`;
    received.length = 0;
    const error = await outcome(deploy);
    expect(error).toBeInstanceOf(AstroError);
    expect(received.map((r) => r.host)).toEqual(["api"]);
    expect(received[0]!.authorization).toBeUndefined();
    expect(JSON.stringify(error) + String(error)).not.toContain("SASSIG");
  });
});
