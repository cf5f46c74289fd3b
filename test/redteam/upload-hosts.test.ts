/**
 * The upload URL policy (#26, "also seen"): when the API is not on loopback, an upload URL to a
 * loopback, link-local or private-range host is refused with a clear error before any connection
 * is opened; `upload: { allowPrivateHosts: true }` allows it. The API here is "remote": the
 * client's base URL is https://api.astro.example, and its fetch carries each request to the local
 * recording server (and reports the remote URL back). Nothing connects anywhere but loopback: the
 * global fetch is guarded for the test, and a connection elsewhere fails and is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AstroConfigError, AstroDeployError, createAstroClient } from "../../src/index.js";
import { json, useRecordingServer } from "../helpers/client.js";
import { outcome } from "./outcome.js";

const REMOTE = "https://api.astro.example";
let uploadUrl = "";
const ctx = useRecordingServer((request, res) => {
  if (request.url.startsWith("/blob")) return res.writeHead(201, { "x-ms-version-id": "v1" }).end();
  return json(res, 200, { id: "dep1", dagsUploadUrl: uploadUrl });
});

const elsewhere: string[] = [];
const realFetch = globalThis.fetch;
beforeAll(() => {
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!["127.0.0.1", "[::1]", "localhost"].includes(url.hostname)) {
      elsewhere.push(url.href);
      return Promise.reject(new TypeError(`test guard: no connection to ${url.host}`));
    }
    return realFetch(input, init);
  };
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

/** A client of a remote API, its requests carried to the recording server. */
function remoteClient() {
  return createAstroClient({
    token: "upload-hosts-token",
    organizationId: "o",
    baseUrl: REMOTE,
    throttle: false,
    fetch: async (url, init) => {
      const response = await realFetch(url.replace(REMOTE, ctx.server.url), init);
      Object.defineProperty(response, "url", { value: url });
      return response;
    },
  });
}

const tarball = new Uint8Array([0x1f, 0x8b, 8, 0]);
const uploads = () => ctx.server.received.filter((r) => r.url.startsWith("/blob"));

describe("an upload URL into the caller's network, from a remote API", () => {
  const hosts = [
    "http://127.0.0.1:PORT/blob/dags.tgz?sig=S",
    "http://localhost:PORT/blob/dags.tgz?sig=S",
    "https://169.254.169.254/latest/meta-data?sig=S",
    "https://[fe80::1]/blob?sig=S",
    "https://[::ffff:169.254.169.254]/blob?sig=S",
    "https://10.0.0.7/blob?sig=S",
    "https://192.168.1.20/blob?sig=S",
    "https://172.16.5.4/blob?sig=S",
    "https://[fd12::1]/blob?sig=S",
    "https://0x7f.1/blob?sig=S",
  ];
  it.each(hosts)("is refused before any connection: %s", async (template) => {
    uploadUrl = template.replace("PORT", new URL(ctx.server.url).port);
    elsewhere.length = 0;
    const error = await outcome(() => remoteClient().deployDags({ deploymentId: "d", tarball }));
    expect(error).toBeInstanceOf(AstroDeployError);
    expect(error).toMatchObject({ step: "upload", deployId: "dep1" });
    expect((error as Error).message).toMatch(
      /(loopback|link-local|private) address while the API is not on loopback/,
    );
    expect((error as Error).message).toContain("allowPrivateHosts");
    expect(uploads()).toHaveLength(0);
    expect(elsewhere).toEqual([]);
  });

  it("is allowed with upload: { allowPrivateHosts: true } (a loopback blob store here)", async () => {
    uploadUrl = `${ctx.server.url}/blob/dags.tgz?sig=S`;
    const error = await outcome(() =>
      remoteClient().deployDags({ deploymentId: "d", tarball }, { upload: { allowPrivateHosts: true } }),
    );
    expect(uploads()).toHaveLength(1);
    expect(error).not.toBeInstanceOf(AstroDeployError);
  });

  it("is allowed when the API itself is on loopback (a local fake or mock)", async () => {
    uploadUrl = `${ctx.server.url}/blob/dags.tgz?sig=S`;
    const astro = createAstroClient({
      token: "t-loopback",
      organizationId: "o",
      baseUrl: ctx.server.url,
      throttle: false,
    });
    await outcome(() => astro.deployDags({ deploymentId: "d", tarball }));
    expect(uploads()).toHaveLength(1);
  });

  it("rejects an allowPrivateHosts that is not a boolean, before anything is created", async () => {
    const error = await outcome(() =>
      remoteClient().deployDags(
        { deploymentId: "d", tarball },
        { upload: { allowPrivateHosts: "yes" as never } },
      ),
    );
    expect(error).toBeInstanceOf(AstroConfigError);
    expect(ctx.server.received).toHaveLength(0);
  });
});
