import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tar from "tar";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createWorkflows, type WorkflowEvent } from "../../src/workflows/index.js";
import { json, useRecordingServer } from "../helpers/client.js";
import type { Received } from "../helpers/recording-server.js";
import { startBlobServer, stored, type BlobServer } from "./blob-server.js";
import { workflowClient } from "./waiter-harness.js";

export const TOKEN = "test-token";
/** The upload URL's query: its signature must never show up in an error or event. */
export const SAS = "sv=2023-11-03&sr=b&sp=cw&sig=S3CRETSIGNATURE";

/** The files of the test project's dags folder, as they should arrive. */
export const DAGS: Record<string, string> = {
  "dags/etl.py": "from airflow import DAG\n",
  "dags/sub/report.py": "# report\n".repeat(50_000),
  "dags/.airflowignore": "old_.*\n",
};

/** How the Astro side answers: each step replaceable to make it fail. */
export interface ApiScript {
  create?: (res: ServerResponse) => void;
  finalize?: (res: ServerResponse, request: Received) => void;
  /** Statuses GetDeploy walks through after FinalizeDeploy (default: `DEPLOYED`, as the document's example answers at once). */
  deployStatuses?: string[];
  /** Fields of the Deployment GetDeployment answers (default: HEALTHY, DAG deploys on, no CI/CD enforcement, STANDARD). */
  deployment?: Record<string, unknown>;
  /** How long after FinalizeDeploy the Deployment (or the bundle) serves the new version, in ms (default 0). */
  liveAfterMs?: number;
}

/** What the rig's Astro side recorded of a deploy's life. */
export interface ApiRecord {
  /** `performance.now()` when FinalizeDeploy was answered. */
  finalizedAt?: number;
  /** `performance.now()` when a GET first answered with the new version. */
  firstLiveReadAt?: number;
  /** The dagTarballVersion (or bundle version) each GetDeployment (or GetDeploy) answered. */
  versionsServed: (string | undefined)[];
}

/** Waiter timing short enough for tests. */
export const wait = { minDelayMs: 10, maxDelayMs: 20, maxWaitMs: 5_000 };

/** The entries of a tarball: path → content, files only. */
export async function unpack(bytes: Buffer): Promise<Record<string, string>> {
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

/**
 * Registers, for the test file, a local Astro API (the recording server), a local blob store, and
 * an Astro project on disk: dags/ with files to deploy, a .git/ folder, and files its
 * .astro/deployignore excludes.
 */
export function useDeployRig() {
  const api = useRecordingServer();
  const rig = { api } as {
    api: typeof api;
    blob: BlobServer;
    root: string;
    project: string;
    dags: () => string;
    routes: () => string[];
    writes: () => string[];
    setup: (
      script?: ApiScript,
    ) => ReturnType<typeof createWorkflows> & { events: WorkflowEvent[]; record: ApiRecord };
  };
  beforeAll(async () => {
    rig.blob = await startBlobServer();
    rig.root = await mkdtemp(join(tmpdir(), "astro-deploy-"));
    const project = (rig.project = join(rig.root, "project"));
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
    await rig.blob?.close();
    if (rig.root) await rm(rig.root, { recursive: true, force: true });
  });
  beforeEach(() => {
    rig.blob.received.length = 0;
    rig.blob.answer(stored);
  });
  rig.dags = () => join(rig.project, "dags");
  rig.routes = () => api.server.received.map((r) => `${r.method} ${r.url}`);
  rig.writes = () => rig.routes().filter((route) => !route.startsWith("GET "));
  rig.setup = (script = {}) => {
    const record: ApiRecord = { versionsServed: [] };
    serveApi(api.server, rig.blob, script, record);
    const events: WorkflowEvent[] = [];
    const client = workflowClient(api.server, { token: TOKEN });
    return { ...createWorkflows(client, { emit: (e) => events.push(e) }), events, record };
  };
  return rig;
}

/**
 * Serves the Astro side of a deploy to Deployment dep-1 on the recording server, as the v1.0
 * document describes it: GetDeployment shows `isDagDeployEnabled`, `isCicdEnforced`, `type`,
 * `dagTarballVersion` and `desiredDagTarballVersion`; CreateDeploy gives a `dagsUploadUrl` (or a
 * `bundleUploadUrl` for `BUNDLE`) only when DAG deploys are enabled; FinalizeDeploy answers
 * `DEPLOYED` at once (the document's example) while the Deployment stays `HEALTHY` and its
 * `dagTarballVersion` (or the deploy's bundle `currentVersion`) reaches the new version
 * `liveAfterMs` later.
 */
function serveApi(
  server: ReturnType<typeof useRecordingServer>["server"],
  blob: BlobServer,
  script: ApiScript,
  record: ApiRecord,
): void {
  let polls = 0;
  const deployment: Record<string, unknown> = {
    id: "dep-1",
    status: "HEALTHY",
    type: "STANDARD",
    isDagDeployEnabled: true,
    isCicdEnforced: false,
    dagTarballVersion: "2026-11-30T09:00:00.0000000Z",
    desiredDagTarballVersion: "2026-11-30T09:00:00.0000000Z",
    ...script.deployment,
  };
  let created: { type: string; bundleMountPath?: string; bundleType?: string } = { type: "DAG_ONLY" };
  let version: string | undefined;
  const live = () =>
    record.finalizedAt !== undefined && performance.now() - record.finalizedAt >= (script.liveAfterMs ?? 0);
  const served = (v: string | undefined) => {
    record.versionsServed.push(v);
    if (v !== undefined && v === version) record.firstLiveReadAt ??= performance.now();
  };
  server.handle((request, res) => {
    const base = "/organizations/org-1/deployments/dep-1";
    if (request.method === "POST" && request.url === `${base}/deploys`) {
      if (script.create) return script.create(res);
      created = JSON.parse(request.body) as typeof created;
      const urlField = created.type === "BUNDLE" ? "bundleUploadUrl" : "dagsUploadUrl";
      return json(res, 200, {
        id: "deploy-1",
        status: "INITIALIZED",
        type: created.type === "BUNDLE" ? "DAG_ONLY" : created.type,
        isDagDeployEnabled: deployment.isDagDeployEnabled,
        ...(deployment.isDagDeployEnabled === false ? {} : { [urlField]: `${blob.url}/dags/dep-1?${SAS}` }),
      });
    }
    if (request.method === "POST" && request.url === `${base}/deploys/deploy-1/finalize`) {
      if (script.finalize) return script.finalize(res, request);
      const body = JSON.parse(request.body) as { dagTarballVersion?: string; bundleTarballVersion?: string };
      version = body.dagTarballVersion ?? body.bundleTarballVersion;
      if (created.type !== "BUNDLE") deployment.desiredDagTarballVersion = version;
      record.finalizedAt = performance.now();
      return json(res, 200, {
        id: "deploy-1",
        status: "DEPLOYED",
        dagTarballVersion: body.dagTarballVersion,
      });
    }
    if (request.method === "GET" && request.url === `${base}/deploys/deploy-1`) {
      const statuses = script.deployStatuses ?? ["DEPLOYED"];
      const answer: Record<string, unknown> = {
        id: "deploy-1",
        status: statuses[Math.min(polls++, statuses.length - 1)],
      };
      if (created.type === "BUNDLE") {
        const current = live() ? version : undefined;
        served(current);
        answer.bundles = [
          {
            bundleType: created.bundleType,
            mountPath: created.bundleMountPath,
            deployId: "deploy-1",
            desiredVersion: version,
            ...(current === undefined ? {} : { currentVersion: current }),
          },
        ];
      }
      return json(res, 200, answer);
    }
    if (request.method === "GET" && request.url === base) {
      if (live() && created.type !== "BUNDLE") deployment.dagTarballVersion = version;
      served(deployment.dagTarballVersion as string);
      return json(res, 200, deployment);
    }
    return json(res, 404, { message: `no route ${request.method} ${request.url}`, requestId: "r" });
  });
}
