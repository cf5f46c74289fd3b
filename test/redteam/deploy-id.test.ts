/**
 * #26 class 8: the deploy id CreateDeploy returns is checked before any side effect. A hostile
 * id (`..`, a path, an encoded dot segment) fails as the deploy's own error, at `create`, and the
 * tarball is never uploaded.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroDeployError, createAstroClient } from "../../src/index.js";
import { json, useRecordingServer } from "../helpers/client.js";
import { outcome } from "./outcome.js";
import { leaksOf, stringsIn } from "../helpers/leaks.js";

let deployId = "";
const ctx = useRecordingServer((request, res) => {
  if (request.url.startsWith("/blob")) return res.writeHead(201, { "x-ms-version-id": "v" }).end();
  return json(res, 200, { id: deployId, dagsUploadUrl: `${ctx.server.url}/blob/dags.tgz?sig=S` });
});

const deploy = () =>
  createAstroClient({
    token: "deploy-id-token",
    organizationId: "o",
    baseUrl: ctx.server.url,
    throttle: false,
  }).deployDags({ deploymentId: "d", tarball: new Uint8Array([0x1f, 0x8b, 8, 0]) });

describe("a hostile deploy id from CreateDeploy", () => {
  it("fails as AstroDeployError at create, before anything is uploaded", async () => {
    const hostile = fc.constantFrom(
      "..",
      ".",
      "a/b",
      "%2e%2e",
      "%2E.",
      "..%2f",
      "a\\b",
      " ",
      "x\ny",
      "\u2024\u2024",
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (id) => {
        deployId = id;
        ctx.server.received.length = 0;
        const error = await outcome(deploy);
        expect(error).toBeInstanceOf(AstroDeployError);
        expect((error as AstroDeployError).step).toBe("create");
        expect((error as AstroDeployError).message).toMatch(/deploy id/);
        // The pre-flight read, then CreateDeploy, and nothing after it: no upload, no finalize.
        expect(ctx.server.received.map((r) => `${r.method} ${r.url.split("?")[0]}`)).toEqual([
          "GET /v1/organizations/o/deployments/d",
          "POST /v1/organizations/o/deployments/d/deploys",
        ]);
      }),
    );
  });

  it("an id that is the token, or too long for a path, fails at create without the token in the error or events", async () => {
    const events: unknown[] = [];
    for (const id of ["deploy-id-token", `x-deploy-id-token-x`, "d".repeat(5000)]) {
      deployId = id;
      ctx.server.received.length = 0;
      const error = await outcome(() =>
        createAstroClient({
          token: "deploy-id-token",
          organizationId: "o",
          baseUrl: ctx.server.url,
          throttle: false,
          onEvent: (event) => events.push(event),
        }).deployDags({ deploymentId: "d", tarball: new Uint8Array([0x1f, 0x8b, 8, 0]) }),
      );
      expect(error).toBeInstanceOf(AstroDeployError);
      expect((error as AstroDeployError).step).toBe("create");
      expect(ctx.server.received).toHaveLength(2);
      expect(leaksOf(error, "deploy-id-token")).toEqual([]);
      expect((error as Error).message.length).toBeLessThan(1000);
    }
    expect(stringsIn(events).filter((text) => text.includes("deploy-id-token"))).toEqual([]);
  });

  it("a plain id still deploys", async () => {
    deployId = "cl-deploy-1";
    await outcome(deploy);
    expect(ctx.server.received.some((r) => r.url.startsWith("/blob"))).toBe(true);
  });
});
