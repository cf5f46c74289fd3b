/** The fake as msw handlers: no port, requests to Astro's own origin intercepted in-process. */
import fc from "fast-check";
import * as msw from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AstroConfigError } from "../../src/errors/error-classes.js";
import { astroFakeHandlers, type AstroFakeHandlers } from "../../src/testing/index.js";
import { runs } from "../helpers/depth.js";
import { responseProblems } from "./v1-document.js";

let fake: AstroFakeHandlers<msw.HttpHandler>;
let server: ReturnType<typeof setupServer>;
beforeAll(async () => {
  fake = await astroFakeHandlers(msw, { lifecycles: { deploy: { afterPolls: 1 } } });
  server = setupServer(...fake.handlers);
  server.listen({ onUnhandledRequest: "error" });
});
afterAll(() => server.close());

const api = (path: string, init: RequestInit = {}, token: string | null = fake.token) =>
  fetch(`https://api.astronomer.io/v1/organizations/${fake.organizationId}${path}`, {
    ...init,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(init.body ? { "content-type": "application/json" } : {}),
    },
  });

it("serves the API at Astro's origin with state, and the upload URL at another host", async () => {
  const created = await api("/workspaces", { method: "POST", body: JSON.stringify({ name: "w" }) });
  const ws = (await created.json()) as { id: string };
  expect(responseProblems("CreateWorkspace", 200, ws)).toEqual([]);
  expect(((await (await api(`/workspaces/${ws.id}`)).json()) as { id: string }).id).toBe(ws.id);
  expect((await api("/workspaces", {}, null)).status).toBe(401);

  const deployment = fake.state.seed(`/organizations/${fake.organizationId}/deployments`, { name: "d" });
  const deploy = (await (
    await api(`/deployments/${String(deployment.id)}/deploys`, {
      method: "POST",
      body: JSON.stringify({ type: "DAG_ONLY" }),
    })
  ).json()) as { id: string; dagsUploadUrl: string };
  expect(new URL(deploy.dagsUploadUrl).host).toBe("fake-blob.astro.invalid");
  const put = await fetch(deploy.dagsUploadUrl, {
    method: "PUT",
    headers: { "x-ms-blob-type": "BlockBlob" },
    body: "t",
  });
  expect(put.status).toBe(201);
  const finalize = await api(`/deployments/${String(deployment.id)}/deploys/${deploy.id}/finalize`, {
    method: "POST",
    body: JSON.stringify({ dagTarballVersion: put.headers.get("x-ms-version-id") }),
  });
  expect(finalize.status).toBe(200);
  const after = await api(`/deployments/${String(deployment.id)}/deploys/${deploy.id}`);
  expect(((await after.json()) as { status: string }).status).toBe("DEPLOYED");
});

it("turns a dropped connection into a network error", async () => {
  fake.faults.once({ kind: "reset" });
  await expect(api("/workspaces")).rejects.toThrow(TypeError);
  expect((await api("/workspaces")).status).toBe(200);
});

it("refuses a base URL with a path", async () => {
  await expect(astroFakeHandlers(msw, { baseUrl: "https://api.astronomer.io/v1" })).rejects.toThrow(
    /must be an origin/,
  );
});

it("refuses any origin option that is not an http(s) origin with an AstroConfigError, never a TypeError", async () => {
  const refusals = [
    "not a url",
    "",
    "ftp://api.astronomer.io",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "https://user:secret-in-url@api.astronomer.io",
    "https://api.astronomer.io?token=x",
    42,
  ];
  for (const value of refusals) {
    for (const option of ["baseUrl", "uploadOrigin"] as const) {
      const error = await astroFakeHandlers(msw, { [option]: value as string }).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error, `${option}: ${String(value)}`).toBeInstanceOf(AstroConfigError);
      expect((error as Error).message).toContain(option);
      expect((error as Error).message).not.toContain("secret-in-url");
    }
  }
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 30 }), async (value) => {
      const error = await astroFakeHandlers(msw, { baseUrl: value }).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      if (error !== undefined) expect(error).toBeInstanceOf(AstroConfigError);
    }),
    { numRuns: runs(50) },
  );
});
