/**
 * The workflows against the SDK's fake, which imitates the real API where it lags: FinalizeDeploy
 * answers DEPLOYED at once while the Deployment's dagTarballVersion follows later, a Deployment
 * reads HEALTHY and only then DEPLOYING after an update, clusters answer 409 while a workflow
 * runs, Hybrid and DAG-deploys-off Deployments get no upload URL, BUNDLE deploys work.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, createAstroClient } from "../../src/index.js";
import { startAstroFake, type AstroFake, type AstroFakeOptions } from "../../src/testing/index.js";
import { AstroDeployError, AstroWaiterError } from "../../src/workflows/index.js";
import { rejection } from "../helpers/client.js";
import { call } from "../testing/fake-client.js";
import { sampleRequestBody } from "../testing/v1-document.js";
import { unpack } from "./deploy-rig.js";

const quick = { minDelayMs: 5, maxDelayMs: 20, maxWaitMs: 10_000 };
let fake: AstroFake;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "astro-fake-workflows-"));
  await mkdir(join(dir, "dags"));
  await writeFile(join(dir, "dags/hello_dag.py"), "from airflow.sdk import dag\n");
  await mkdir(join(dir, "jaffle/models"), { recursive: true });
  await writeFile(join(dir, "jaffle/dbt_project.yml"), "name: jaffle\n");
  await writeFile(join(dir, "jaffle/models/orders.sql"), "select 1\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => fake?.close());

async function start(options: AstroFakeOptions = {}) {
  fake = await startAstroFake({ rateLimits: false, ...options });
  const astro = createAstroClient({
    token: fake.token,
    organizationId: fake.organizationId,
    baseUrl: fake.url,
  });
  const deployments = `/organizations/${fake.organizationId}/deployments`;
  return { astro, deployments };
}

const writes = () => fake.requests.filter((r) => r.method !== "GET").map((r) => r.operationId);

describe("deployDags on the fake", () => {
  it("waits past DEPLOYED until the Deployment's dagTarballVersion is the new version", async () => {
    const { astro, deployments } = await start();
    const d = fake.state.seed(deployments, { name: "d", type: "STANDARD" });
    const result = await astro.deployDags({
      deploymentId: String(d.id),
      directory: join(dir, "dags"),
      wait: quick,
    });
    const path = `${deployments}/${String(d.id)}`;
    expect(result.live).toBe(true);
    expect(result.deployment?.dagTarballVersion).toBe(result.dagTarballVersion);
    expect(fake.state.get(path)?.dagTarballVersion).toBe(result.dagTarballVersion);
    // FinalizeDeploy already said DEPLOYED, yet the first poll's Deployment still had the old version.
    const polls = fake.requests.filter((r) => r.operationId === "GetDeployment").length;
    expect(polls).toBeGreaterThanOrEqual(3); // pre-flight + a stale poll + the live one
  });

  for (const [name, fields] of [
    ["DAG deploys disabled", { isDagDeployEnabled: false }],
    ["a Hybrid Deployment", { type: "HYBRID" }],
  ] as const) {
    it(`${name}: refused at preflight, the fake received no CreateDeploy`, async () => {
      const { astro, deployments } = await start();
      const d = fake.state.seed(deployments, { name: "d", ...fields });
      const error = await rejection(
        astro.deployDags({ deploymentId: String(d.id), directory: join(dir, "dags") }),
      );
      expect(error).toBeInstanceOf(AstroDeployError);
      expect(error).toMatchObject({ step: "preflight" });
      expect(writes()).toEqual([]);
    });
  }

  it("the fake gives a Hybrid or DAG-deploys-off Deployment's deploy no upload URL", async () => {
    const { astro, deployments } = await start();
    for (const fields of [{ type: "HYBRID" }, { isDagDeployEnabled: false }]) {
      const d = fake.state.seed(deployments, { name: "d", ...fields });
      const { data } = await astro.createDeploy({ deploymentId: String(d.id), body: { type: "DAG_ONLY" } });
      expect(data.dagsUploadUrl).toBeUndefined();
    }
  });
});

describe("deployBundle on the fake", () => {
  it("creates a BUNDLE deploy, uploads to bundleUploadUrl, finalizes with bundleTarballVersion and waits for the bundle's currentVersion", async () => {
    const { astro, deployments } = await start();
    const d = fake.state.seed(deployments, { name: "d", type: "STANDARD" });
    const mountPath = "/usr/local/airflow/dbt/jaffle";
    const result = await astro.deployBundle({
      deploymentId: String(d.id),
      directory: join(dir, "jaffle"),
      mountPath,
      wait: quick,
    });
    expect(result).toMatchObject({ live: true, mountPath });
    const deploy = fake.state.get(`${deployments}/${String(d.id)}/deploys/${result.deployId}`);
    expect(deploy?.bundles).toEqual([
      {
        bundleType: "dbt",
        mountPath,
        deployId: result.deployId,
        desiredVersion: result.bundleTarballVersion,
        currentVersion: result.bundleTarballVersion,
      },
    ]);
    expect(fake.uploads).toHaveLength(1);
    expect(Object.keys(await unpack(Buffer.from(fake.uploads[0]!.body))).sort()).toEqual([
      "dbt_project.yml",
      "models/orders.sql",
    ]);
    expect(fake.uploads[0]!.headers.authorization).toBeUndefined();
    expect(writes()).toEqual(["CreateDeploy", "UploadDagTarball", "FinalizeDeploy"]);
  });

  it("refuses a Deployment without DAG deploys before creating anything", async () => {
    const { astro, deployments } = await start();
    const d = fake.state.seed(deployments, { name: "d", isDagDeployEnabled: false });
    const error = await rejection(
      astro.deployBundle({
        deploymentId: String(d.id),
        directory: join(dir, "jaffle"),
        mountPath: "/usr/local/airflow/dbt/j",
      }),
    );
    expect(error).toMatchObject({ name: "AstroDeployError", step: "preflight" });
    expect(writes()).toEqual([]);
  });
});

describe("waiting after an update", () => {
  it("with after: { updatedAt }, ends only after the Deployment went DEPLOYING and came back; without it, at the stale HEALTHY", async () => {
    const { astro, deployments } = await start();
    const d = fake.state.seed(deployments, { name: "d" });
    const path = `${deployments}/${String(d.id)}`;
    const update = async () => {
      const answer = await call(fake, "POST", path, { body: sampleRequestBody("UpdateDeployment") });
      expect(answer.status).toBe(200);
      return String((answer.json as { updatedAt: string }).updatedAt);
    };
    const statuses = async (options: object) => {
      const seen: string[] = [];
      await astro.waitUntilDeploymentReady(
        { deploymentId: String(d.id) },
        {
          ...quick,
          ...options,
          onProgress: (e) => void (e.type === "waiter" && e.status && seen.push(e.status)),
        },
      );
      return seen;
    };
    // The stale read: a plain wait ends at once, on a Deployment that has not started the update.
    await update();
    expect(await statuses({})).toEqual(["HEALTHY"]);
    fake.settle();
    const updatedAt = await update();
    expect(await statuses({ after: { updatedAt, settleMs: 60_000 } })).toEqual([
      "HEALTHY",
      "DEPLOYING",
      "HEALTHY",
    ]);
  });

  it("a read older than the mutation's updatedAt never ends the wait", async () => {
    const { astro, deployments } = await start({ lifecycles: { deploymentUpdate: false } });
    const d = fake.state.seed(deployments, { name: "d" });
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const error = await rejection(
      astro.waitUntilDeploymentReady(
        { deploymentId: String(d.id) },
        { minDelayMs: 5, maxDelayMs: 10, maxWaitMs: 200, after: { updatedAt: later } },
      ),
    );
    expect(error).toBeInstanceOf(AstroWaiterError);
    expect(error).toMatchObject({ reason: "timeout", lastStatus: "HEALTHY" });
  });
});

describe("cluster calls while a workflow runs", () => {
  it("update and delete answer 409 while the cluster works; the WhenIdle calls retry until it is free, the plain call does not", async () => {
    // A cluster workflow ends after a minute of the fake's time: each 409 moves the clock on.
    const { astro } = await start({ lifecycles: { cluster: { afterPolls: Infinity, afterMs: 60_000 } } });
    const clusters = `/organizations/${fake.organizationId}/clusters`;
    const created = await call(fake, "POST", clusters, { body: sampleRequestBody("CreateCluster") });
    const clusterId = String((created.json as { id: string }).id);
    const body = sampleRequestBody("UpdateCluster") as never;
    expect(await rejection(astro.updateCluster({ clusterId, body }))).toBeInstanceOf(ConflictError);
    let busyAnswers = 0;
    const retry = {
      minDelayMs: 5,
      maxDelayMs: 10,
      maxWaitMs: 10_000,
      onProgress: (e: { type: string; waiter?: string }) => {
        if (e.type !== "waiter" || e.waiter !== "clusterIdle") return;
        busyAnswers += 1;
        fake.clock.advance(30_000);
      },
    };
    await astro.updateClusterWhenIdle({ clusterId, body }, retry);
    expect(busyAnswers).toBe(2);
    const updates = fake.requests.filter((r) => r.operationId === "UpdateCluster").map((r) => r.status);
    expect(updates).toEqual([409, 409, 409, 200]);
    // The update put the cluster back to work: the delete waits for it too.
    expect(fake.state.get(`${clusters}/${clusterId}`)?.status).toBe("UPDATING");
    await astro.deleteClusterWhenIdle({ clusterId }, retry);
    expect(busyAnswers).toBe(4);
    expect(fake.state.get(`${clusters}/${clusterId}`)).toBeUndefined();
    expect(fake.requests.filter((r) => r.operationId === "CreateCluster")).toHaveLength(1);
  });

  it("gives up at maxWaitMs with AstroWaiterError (reason timeout, cause the 409)", async () => {
    const { astro } = await start({ lifecycles: { cluster: { afterPolls: Infinity } } });
    const clusters = `/organizations/${fake.organizationId}/clusters`;
    const created = await call(fake, "POST", clusters, { body: sampleRequestBody("CreateCluster") });
    const clusterId = String((created.json as { id: string }).id);
    const error = await rejection(
      astro.deleteClusterWhenIdle({ clusterId }, { minDelayMs: 10, maxDelayMs: 20, maxWaitMs: 150 }),
    );
    expect(error).toBeInstanceOf(AstroWaiterError);
    expect(error).toMatchObject({ waiter: "clusterIdle", reason: "timeout" });
    expect((error as AstroWaiterError).cause).toBeInstanceOf(ConflictError);
  });
});
