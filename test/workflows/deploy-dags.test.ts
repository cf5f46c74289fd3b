import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerResponse } from "node:http";
import * as tar from "tar";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AstroConfigError, ForbiddenError } from "../../src/index.js";
import {
  AstroDeployError,
  AstroWaiterError,
  createWorkflows,
  type WorkflowEvent,
} from "../../src/workflows/index.js";
import { packDirectory } from "../../src/workflows/pack.js";
import { clientFor, json, rejection, useRecordingServer } from "../helpers/client.js";
import type { Received } from "../helpers/recording-server.js";
import { azureError, startBlobServer, stored, type BlobServer } from "./blob-server.js";

const TOKEN = "test-token";
const SAS = "sv=2023-11-03&sr=b&sp=cw&sig=S3CRETSIGNATURE";
const api = useRecordingServer();
let blob: BlobServer;
let root: string;
let project: string;

/** The files of the test project's dags folder, as they should arrive. */
const DAGS: Record<string, string> = {
  "dags/etl.py": "from airflow import DAG\n",
  "dags/sub/report.py": "# report\n".repeat(50_000),
  "dags/.airflowignore": "old_.*\n",
};

beforeAll(async () => {
  blob = await startBlobServer();
  root = await mkdtemp(join(tmpdir(), "astro-deploy-"));
  project = join(root, "project");
  for (const [path, text] of Object.entries(DAGS)) {
    await mkdir(join(project, path, ".."), { recursive: true });
    await writeFile(join(project, path), text);
  }
  await mkdir(join(project, "dags/.git/objects"), { recursive: true });
  await writeFile(join(project, "dags/.git/config"), "[core]\n");
  await mkdir(join(project, "dags/internal_docs"), { recursive: true });
  await writeFile(join(project, "dags/internal_docs/notes.md"), "private\n");
  await writeFile(join(project, "dags/scratch.tmp"), "tmp\n");
  await mkdir(join(project, ".astro"), { recursive: true });
  await writeFile(
    join(project, ".astro/deployignore"),
    "# not deployed\ndags/internal_docs/\ndags/**/*.tmp\n",
  );
});

afterAll(async () => {
  await blob?.close();
  await rm(root, { recursive: true, force: true });
});

interface ApiScript {
  create?: (res: ServerResponse) => void;
  finalize?: (res: ServerResponse, request: Received) => void;
  deployStatuses?: string[];
}

/** Serves the Astro side of a DAG deploy on the recording server. */
function serveApi(script: ApiScript = {}) {
  let polls = 0;
  api.server.handle((request, res) => {
    const base = "/organizations/org-1/deployments/dep-1";
    if (request.method === "POST" && request.url === `${base}/deploys`) {
      if (script.create) return script.create(res);
      return json(res, 200, {
        id: "deploy-1",
        status: "INITIALIZED",
        type: "DAG_ONLY",
        dagsUploadUrl: `${blob.url}/dags/dep-1?${SAS}`,
      });
    }
    if (request.method === "POST" && request.url === `${base}/deploys/deploy-1/finalize`) {
      if (script.finalize) return script.finalize(res, request);
      const { dagTarballVersion } = JSON.parse(request.body) as { dagTarballVersion: string };
      return json(res, 200, { id: "deploy-1", status: "INITIALIZED", dagTarballVersion });
    }
    if (request.method === "GET" && request.url === `${base}/deploys/deploy-1`) {
      const statuses = script.deployStatuses ?? ["INITIALIZED", "DEPLOYED"];
      return json(res, 200, { id: "deploy-1", status: statuses[Math.min(polls++, statuses.length - 1)] });
    }
    if (request.method === "GET" && request.url === base)
      return json(res, 200, { id: "dep-1", status: "HEALTHY" });
    return json(res, 404, { message: `no route ${request.method} ${request.url}`, requestId: "r" });
  });
}

function setup(script?: ApiScript) {
  serveApi(script);
  const astro = clientFor(api.server, { token: TOKEN, organizationId: "org-1" });
  const events: WorkflowEvent[] = [];
  return { ...createWorkflows(astro.platform, { emit: (e) => events.push(e) }), events };
}

const wait = { minDelayMs: 10, maxDelayMs: 20, maxWaitMs: 5_000 };
const routes = () => api.server.received.map((r) => `${r.method} ${r.url}`);

/** The entries of a tarball: path → content, files only. */
async function unpack(bytes: Buffer): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const parser = new tar.Parser({
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on("data", (c: Buffer) => chunks.push(c));
      entry.on("end", () => {
        if (entry.type === "File") files[entry.path] = Buffer.concat(chunks).toString("utf8");
      });
    },
  });
  const done = new Promise((resolve) => parser.on("end", resolve));
  parser.end(bytes);
  await done;
  return files;
}

beforeEach(() => {
  blob.received.length = 0;
  blob.answer(stored);
});

describe("deployDags end to end", () => {
  it("creates, uploads the packed folder to the blob store without the token, finalizes with its version id, and waits", async () => {
    const w = setup();
    const result = await w.deployDags(
      { deploymentId: "dep-1", directory: join(project, "dags"), description: "nightly", wait },
      {},
    );
    expect(result).toMatchObject({
      deployId: "deploy-1",
      dagTarballVersion: "2026-12-01T10:00:00.0000000Z",
      deploy: { status: "DEPLOYED" },
      deployment: { status: "HEALTHY" },
      files: 3,
    });
    // The blob store got one PUT of a gzipped tarball holding exactly the deployable files.
    expect(blob.received).toHaveLength(1);
    const put = blob.received[0]!;
    expect(put.url).toBe(`/dags/dep-1?${SAS}`);
    expect(put.headers["x-ms-blob-type"]).toBe("BlockBlob");
    expect(put.headers["content-type"]).toBe("application/gzip");
    expect(put.headers.authorization).toBeUndefined();
    expect(JSON.stringify(put.headers)).not.toContain(TOKEN);
    expect(result.bytes).toBe(put.body.length);
    expect(put.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(await unpack(put.body)).toEqual(DAGS);
    // The API got create, finalize with the version id, then the polls, all with the token.
    expect(routes().slice(0, 2)).toEqual([
      "POST /organizations/org-1/deployments/dep-1/deploys",
      "POST /organizations/org-1/deployments/dep-1/deploys/deploy-1/finalize",
    ]);
    expect(JSON.parse(api.server.received[0]!.body)).toEqual({ type: "DAG_ONLY", description: "nightly" });
    expect(JSON.parse(api.server.received[1]!.body)).toEqual({
      dagTarballVersion: "2026-12-01T10:00:00.0000000Z",
    });
    expect(routes().slice(2)).toEqual([
      "GET /organizations/org-1/deployments/dep-1/deploys/deploy-1",
      "GET /organizations/org-1/deployments/dep-1/deploys/deploy-1",
      "GET /organizations/org-1/deployments/dep-1",
    ]);
    for (const r of api.server.received) expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
    // Steps in order, upload progress up to the last byte, and nothing secret in any event.
    expect(w.events.filter((e) => e.type === "deploy").map((e) => e.type === "deploy" && e.step)).toEqual([
      "pack",
      "create",
      "upload",
      "finalize",
      "wait-deploy",
      "wait-deployment",
      "done",
    ]);
    const uploads = w.events.filter((e) => e.type === "upload");
    expect(uploads.at(-1)).toMatchObject({
      bytesSent: put.body.length,
      totalBytes: put.body.length,
      attempt: 1,
    });
    const sent = uploads.map((e) => (e.type === "upload" ? e.bytesSent : -1));
    expect([...sent].sort((a, b) => a - b)).toEqual(sent);
    expect(JSON.stringify(w.events)).not.toMatch(/S3CRET|test-token/);
  });

  it("sends a ready tarball (bytes or a path) untouched, and a plain tar when asked", async () => {
    const packed = await packDirectory(join(project, "dags"), { gzip: false });
    expect(packed.contentType).toBe("application/x-tar");
    const file = join(root, "dags.tar");
    await writeFile(file, packed.bytes);
    for (const tarball of [packed.bytes, file]) {
      blob.received.length = 0;
      const result = await setup().deployDags({ deploymentId: "dep-1", tarball });
      expect(result.files).toBeUndefined();
      expect(blob.received[0]!.body.equals(Buffer.from(packed.bytes))).toBe(true);
      expect(blob.received[0]!.headers["content-type"]).toBe("application/x-tar");
      expect(await unpack(blob.received[0]!.body)).toEqual(DAGS);
    }
  });

  it("retries a busy blob store with the same bytes", async () => {
    blob.answer((request, res, index) =>
      index < 2 ? azureError(res, 503, "ServerBusy", "busy") : stored(request, res, index),
    );
    const w = setup();
    const result = await w.deployDags({ deploymentId: "dep-1", directory: join(project, "dags") });
    expect(blob.received).toHaveLength(3);
    expect(blob.received[2]!.body.equals(blob.received[0]!.body)).toBe(true);
    expect(result.dagTarballVersion).toBe("2026-12-01T10:00:02.0000000Z");
    expect(
      w.events
        .filter((e) => e.type === "upload" && e.bytesSent === 0)
        .map((e) => e.type === "upload" && e.attempt),
    ).toEqual([1, 2, 3]);
  });
});

describe("deployDags failures, one per step", () => {
  const dags = () => join(project, "dags");

  it("pack: a missing folder, an empty folder, both or neither inputs, a tarball that is not one, before any request", async () => {
    const w = setup();
    const empty = join(root, "empty");
    await mkdir(empty, { recursive: true });
    for (const input of [
      { directory: join(root, "nope") },
      { directory: empty },
      {},
      { directory: dags(), tarball: Buffer.from("x") },
      { tarball: Buffer.from("not a tarball at all") },
    ]) {
      const error = await rejection(w.deployDags({ deploymentId: "dep-1", ...input }));
      expect(error, JSON.stringify(input)).toBeInstanceOf(AstroConfigError);
    }
    expect(api.server.received).toHaveLength(0);
    await expect(
      setup().deployDags({ deploymentId: "dep-1", directory: empty, allowEmpty: true }),
    ).resolves.toMatchObject({ files: 0 });
  });

  it("pack: explains a missing tar package", async () => {
    const missing = Object.assign(new Error("Cannot find package 'tar'"), { code: "ERR_MODULE_NOT_FOUND" });
    const error = await rejection(
      packDirectory(
        dags(),
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
      packDirectory(dags(), {}, { tar: () => import("tar"), dockerignore: () => Promise.reject(missing) }),
    );
    expect(error).toBeInstanceOf(AstroConfigError);
    expect(error.message).toMatch(/honouring .astro\/deployignore needs the @balena\/dockerignore package/);
  });

  it("create: an API error, with no upload", async () => {
    const w = setup({
      create: (res) => json(res, 403, { message: "no deploy permission", requestId: "r1" }),
    });
    const error = (await rejection(
      w.deployDags({ deploymentId: "dep-1", directory: dags() }),
    )) as AstroDeployError;
    expect(error).toBeInstanceOf(AstroDeployError);
    expect(error).toMatchObject({ step: "create", deploymentId: "dep-1", deployId: undefined });
    expect(error.cause).toBeInstanceOf(ForbiddenError);
    expect(blob.received).toHaveLength(0);
  });

  it("create: no dagsUploadUrl (DAG deploys disabled) fails before any upload", async () => {
    const w = setup({
      create: (res) => json(res, 200, { id: "deploy-1", status: "INITIALIZED", type: "DAG_ONLY" }),
    });
    const error = await rejection(w.deployDags({ deploymentId: "dep-1", directory: dags() }));
    expect(error).toMatchObject({ name: "AstroDeployError", step: "create", deployId: "deploy-1" });
    expect(error.message).toMatch(/DAG deploys are not enabled on Deployment dep-1/);
    expect(blob.received).toHaveLength(0);
    expect(routes()).toEqual(["POST /organizations/org-1/deployments/dep-1/deploys"]);
  });

  it("upload: an upload URL that is plain http to another host is refused before sending", async () => {
    const w = setup({
      create: (res) => json(res, 200, { id: "deploy-1", dagsUploadUrl: `http://blob.example.com/x?${SAS}` }),
    });
    const error = await rejection(w.deployDags({ deploymentId: "dep-1", directory: dags() }));
    expect(error).toMatchObject({ name: "AstroDeployError", step: "upload" });
    expect(error.message).not.toContain("S3CRET");
    expect(routes()).toHaveLength(1);
  });

  it("upload: a refusal (4xx) is not retried and reports the store's words without the SAS signature", async () => {
    blob.answer((_request, res) =>
      azureError(
        res,
        403,
        "AuthenticationFailed",
        `Signature did not match. String to sign used was sig=S3CRETSIGNATURE ${SAS}`,
      ),
    );
    const w = setup();
    const error = (await rejection(
      w.deployDags({ deploymentId: "dep-1", directory: dags() }),
    )) as AstroDeployError;
    expect(error).toMatchObject({ step: "upload", status: 403, deployId: "deploy-1" });
    expect(error.detail).toMatch(/^AuthenticationFailed: Signature did not match/);
    expect(JSON.stringify(error.toJSON()) + error.message + error.stack).not.toContain("S3CRET");
    expect(error.message).toContain(`${blob.url}/dags/dep-1:`);
    expect(blob.received).toHaveLength(1);
    expect(routes()).toHaveLength(1); // no finalize
  });

  it("upload: a store that stays busy fails after maxAttempts", async () => {
    blob.answer((_request, res) => azureError(res, 500, "InternalError", "oops"));
    const error = await rejection(
      setup().deployDags({ deploymentId: "dep-1", directory: dags() }, { upload: { maxAttempts: 2 } }),
    );
    expect(error).toMatchObject({ step: "upload", status: 500 });
    expect(error.message).toMatch(/after 2 attempts/);
    expect(blob.received).toHaveLength(2);
  });

  it("upload: a redirect is not followed", async () => {
    blob.answer((_request, res) => {
      res.writeHead(307, { location: "http://127.0.0.1:9/elsewhere" });
      res.end();
    });
    const error = await rejection(setup().deployDags({ deploymentId: "dep-1", directory: dags() }));
    expect(error).toMatchObject({ step: "upload", status: 307 });
    expect(blob.received).toHaveLength(1);
  });

  it("upload: a success without x-ms-version-id is not finalized", async () => {
    blob.answer((_request, res) => {
      res.writeHead(201);
      res.end();
    });
    const error = await rejection(setup().deployDags({ deploymentId: "dep-1", directory: dags() }));
    expect(error).toMatchObject({ step: "upload", status: 201 });
    expect(error.message).toMatch(/no usable x-ms-version-id/);
    expect(routes()).toHaveLength(1);
  });

  it("upload: aborting a hanging upload ends at once", async () => {
    blob.answer(() => undefined);
    const controller = new AbortController();
    let started = 0;
    const onProgress = (event: WorkflowEvent) => {
      if (event.type !== "upload" || started) return;
      started = performance.now();
      setTimeout(() => controller.abort(), 50);
    };
    const error = await rejection(
      setup().deployDags(
        { deploymentId: "dep-1", directory: dags() },
        { signal: controller.signal, onProgress },
      ),
    );
    expect(error).toMatchObject({ step: "upload" });
    expect(error.message).toMatch(/aborted/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("finalize: an API error says the DAGs were uploaded but not finalized", async () => {
    const w = setup({ finalize: (res) => json(res, 400, { message: "bad version", requestId: "r2" }) });
    const error = await rejection(w.deployDags({ deploymentId: "dep-1", directory: dags() }));
    expect(error).toMatchObject({ step: "finalize", deployId: "deploy-1" });
    expect(error.message).toMatch(/uploaded but the deploy is not finalized: 400/);
  });

  it("wait: a deploy that ends FAILED", async () => {
    const w = setup({ deployStatuses: ["INITIALIZED", "FAILED"] });
    const error = (await rejection(
      w.deployDags({ deploymentId: "dep-1", directory: dags(), wait }),
    )) as AstroDeployError;
    expect(error).toMatchObject({ step: "wait", deployId: "deploy-1" });
    expect(error.cause).toBeInstanceOf(AstroWaiterError);
    expect(error.cause).toMatchObject({ reason: "failed", lastStatus: "FAILED", resourceId: "deploy-1" });
  });

  it("a progress hook that throws does not stop the deploy", async () => {
    const result = await setup().deployDags(
      { deploymentId: "dep-1", directory: dags() },
      {
        onProgress: () => {
          throw new Error("printer broke");
        },
      },
    );
    expect(result.deployId).toBe("deploy-1");
  });
});
