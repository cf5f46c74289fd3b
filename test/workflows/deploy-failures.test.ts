/** deployDags failing at each step, and what it leaves behind. */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AstroConfigError, ForbiddenError } from "../../src/index.js";
import { AstroDeployError, AstroWaiterError, type WorkflowEvent } from "../../src/workflows/index.js";
import { packDirectory } from "../../src/workflows/pack.js";
import { json, rejection } from "../helpers/client.js";
import { azureError } from "./blob-server.js";
import { SAS, useDeployRig, wait } from "./deploy-rig.js";

const rig = useDeployRig();

describe("deployDags failures, one per step", () => {
  it("pack: a missing folder, an empty folder, both or neither inputs, a tarball that is not one, before any request", async () => {
    const w = rig.setup();
    const empty = join(rig.root, "empty");
    await mkdir(empty, { recursive: true });
    for (const input of [
      { directory: join(rig.root, "nope") },
      { directory: empty },
      {},
      { directory: rig.dags(), tarball: Buffer.from("x") },
      { tarball: Buffer.from("not a tarball at all") },
      { tarball: 42 as unknown as string },
      {
        tarball: (async function* () {
          yield "text, not bytes";
        })() as AsyncIterable<Uint8Array>,
      },
      {
        tarball: (async function* () {
          yield new Uint8Array(10);
          throw new Error("disk gone");
        })(),
      },
    ]) {
      const error = await rejection(w.deployDags({ deploymentId: "dep-1", ...input }));
      expect(error, JSON.stringify(input)).toBeInstanceOf(AstroConfigError);
    }
    expect(rig.api.server.received).toHaveLength(0);
    await expect(
      rig.setup().deployDags({ deploymentId: "dep-1", directory: empty, allowEmpty: true }),
    ).resolves.toMatchObject({ files: 0 });
  });

  it("checks wait timings, upload options and the signal before anything is created", async () => {
    const w = rig.setup();
    const bad: [object, object][] = [
      [{ wait: { maxWaitMs: -1 } }, {}],
      [{ wait: { minDelayMs: Number.NaN } }, {}],
      [{}, { upload: { maxAttempts: 0 } }],
      [{}, { upload: { timeoutMs: 2 ** 31 } }],
      [{}, { signal: "stop" }],
    ];
    for (const [input, options] of bad) {
      const error = await rejection(
        w.deployDags({ deploymentId: "dep-1", directory: rig.dags(), ...input }, options),
      );
      expect(error, JSON.stringify([input, options])).toBeInstanceOf(AstroConfigError);
    }
    expect(rig.api.server.received).toHaveLength(0);
  });

  it("pack: explains a missing tar package", async () => {
    const missing = Object.assign(new Error("Cannot find package 'tar'"), { code: "ERR_MODULE_NOT_FOUND" });
    const error = await rejection(
      packDirectory(
        rig.dags(),
        {},
        { tar: () => Promise.reject(missing), dockerignore: () => import("@balena/dockerignore") },
      ),
    );
    expect(error).toBeInstanceOf(AstroConfigError);
    expect(error.message).toMatch(
      /needs the tar package, but it is not installed: run `npm install tar@\^7`/,
    );
  });

  it("pack: explains a missing ignore-file matcher when the project has .astro/deployignore", async () => {
    const missing = Object.assign(new Error("Cannot find package"), { code: "ERR_MODULE_NOT_FOUND" });
    const error = await rejection(
      packDirectory(
        rig.dags(),
        {},
        { tar: () => import("tar"), dockerignore: () => Promise.reject(missing) },
      ),
    );
    expect(error).toBeInstanceOf(AstroConfigError);
    expect(error.message).toMatch(/honouring .astro\/deployignore needs the @balena\/dockerignore package/);
  });

  it("create: an API error, with no upload", async () => {
    const w = rig.setup({
      create: (res) => json(res, 403, { message: "no deploy permission", requestId: "r1" }),
    });
    const error = (await rejection(
      w.deployDags({ deploymentId: "dep-1", directory: rig.dags() }),
    )) as AstroDeployError;
    expect(error).toBeInstanceOf(AstroDeployError);
    expect(error).toMatchObject({ step: "create", deploymentId: "dep-1", deployId: undefined });
    expect(error.cause).toBeInstanceOf(ForbiddenError);
    expect(rig.blob.received).toHaveLength(0);
  });

  it("create: an answer without dagsUploadUrl fails before any upload, naming the deploy left behind", async () => {
    const w = rig.setup({
      create: (res) => json(res, 200, { id: "deploy-1", status: "INITIALIZED", type: "DAG_ONLY" }),
    });
    const error = await rejection(w.deployDags({ deploymentId: "dep-1", directory: rig.dags() }));
    expect(error).toMatchObject({ name: "AstroDeployError", step: "create", deployId: "deploy-1" });
    expect(error.message).toMatch(/returned no dagsUploadUrl for Deployment dep-1/);
    expect(rig.blob.received).toHaveLength(0);
    expect(rig.writes()).toEqual(["POST /organizations/org-1/deployments/dep-1/deploys"]);
  });

  it("upload: an upload URL that is plain http to another host is refused before sending", async () => {
    const w = rig.setup({
      create: (res) =>
        json(res, 200, { id: "deploy-1", dagsUploadUrl: `http://rig.blob.example.com/x?${SAS}` }),
    });
    const error = await rejection(w.deployDags({ deploymentId: "dep-1", directory: rig.dags() }));
    expect(error).toMatchObject({ name: "AstroDeployError", step: "upload" });
    expect(error.message).not.toContain("S3CRET");
    expect(rig.writes()).toHaveLength(1);
  });

  it("upload: a refusal (4xx) is not retried and reports the store's words without the SAS signature", async () => {
    rig.blob.answer((_request, res) =>
      azureError(
        res,
        403,
        "AuthenticationFailed",
        `Signature did not match. String to sign used was sig=S3CRETSIGNATURE ${SAS}`,
      ),
    );
    const w = rig.setup();
    const error = (await rejection(
      w.deployDags({ deploymentId: "dep-1", directory: rig.dags() }),
    )) as AstroDeployError;
    expect(error).toMatchObject({ step: "upload", status: 403, deployId: "deploy-1" });
    expect(error.detail).toMatch(/^AuthenticationFailed: Signature did not match/);
    expect(JSON.stringify(error.toJSON()) + error.message + error.stack).not.toContain("S3CRET");
    expect(error.message).toContain(`${rig.blob.url}/dags/dep-1:`);
    expect(rig.blob.received).toHaveLength(1);
    expect(rig.writes()).toHaveLength(1); // no finalize
  });

  it("upload: a store that stays busy fails after maxAttempts", async () => {
    rig.blob.answer((_request, res) => azureError(res, 500, "InternalError", "oops"));
    const error = await rejection(
      rig
        .setup()
        .deployDags({ deploymentId: "dep-1", directory: rig.dags() }, { upload: { maxAttempts: 2 } }),
    );
    expect(error).toMatchObject({ step: "upload", status: 500 });
    expect(error.message).toMatch(/after 2 attempts/);
    expect(rig.blob.received).toHaveLength(2);
  });

  it("upload: a redirect is not followed", async () => {
    rig.blob.answer((_request, res) => {
      res.writeHead(307, { location: "http://127.0.0.1:9/elsewhere" });
      res.end();
    });
    const error = await rejection(rig.setup().deployDags({ deploymentId: "dep-1", directory: rig.dags() }));
    expect(error).toMatchObject({ step: "upload", status: 307 });
    expect(rig.blob.received).toHaveLength(1);
  });

  it("upload: a success without x-ms-version-id is not finalized", async () => {
    rig.blob.answer((_request, res) => {
      res.writeHead(201);
      res.end();
    });
    const error = await rejection(rig.setup().deployDags({ deploymentId: "dep-1", directory: rig.dags() }));
    expect(error).toMatchObject({ step: "upload", status: 201 });
    expect(error.message).toMatch(/no usable x-ms-version-id/);
    expect(rig.writes()).toHaveLength(1);
  });

  it("upload: aborting a hanging upload ends at once", async () => {
    rig.blob.answer(() => undefined);
    const controller = new AbortController();
    let started = 0;
    const onProgress = (event: WorkflowEvent) => {
      if (event.type !== "upload" || started) return;
      started = performance.now();
      setTimeout(() => controller.abort(), 50);
    };
    const error = await rejection(
      rig
        .setup()
        .deployDags(
          { deploymentId: "dep-1", directory: rig.dags() },
          { signal: controller.signal, onProgress },
        ),
    );
    expect(error).toMatchObject({ step: "upload" });
    expect(error.message).toMatch(/aborted/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("finalize: an API error says the DAGs were uploaded but not finalized", async () => {
    const w = rig.setup({ finalize: (res) => json(res, 400, { message: "bad version", requestId: "r2" }) });
    const error = await rejection(w.deployDags({ deploymentId: "dep-1", directory: rig.dags() }));
    expect(error).toMatchObject({ step: "finalize", deployId: "deploy-1" });
    expect(error.message).toMatch(/uploaded but the deploy is not finalized: 400/);
  });

  it("wait: a deploy that ends FAILED", async () => {
    const w = rig.setup({ deployStatuses: ["DEPLOYED", "FAILED"], liveAfterMs: 60_000 });
    const error = (await rejection(
      w.deployDags({ deploymentId: "dep-1", directory: rig.dags(), wait }),
    )) as AstroDeployError;
    expect(error).toMatchObject({ step: "wait", deployId: "deploy-1" });
    expect(error.cause).toBeInstanceOf(AstroWaiterError);
    expect(error.cause).toMatchObject({ reason: "failed", lastStatus: "FAILED", resourceId: "deploy-1" });
  });

  it("a progress hook that throws does not stop the deploy", async () => {
    const result = await rig.setup().deployDags(
      { deploymentId: "dep-1", directory: rig.dags() },
      {
        onProgress: () => {
          throw new Error("printer broke");
        },
      },
    );
    expect(result.deployId).toBe("deploy-1");
  });
});
