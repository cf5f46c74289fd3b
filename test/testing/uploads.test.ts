/**
 * The deploy workflow end to end on the fake: CreateDeploy hands out an upload URL of the fake's
 * own, which takes a block-blob PUT without the Astro token, keeps the bytes and answers
 * `x-ms-version-id`; FinalizeDeploy takes that version and the deploy becomes DEPLOYED.
 */
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, expect, it } from "vitest";
import { startAstroFake, type AstroFake } from "../../src/testing/index.js";
import { call, org } from "./fake-client.js";

/** The parts of the fake's answers these tests read. */
interface Deploy {
  id: string;
  dagsUploadUrl?: string;
  isDagDeployEnabled?: boolean;
  status: string;
  dagTarballVersion?: string;
}
interface Deployment {
  dagTarballVersion?: string;
  desiredDagTarballVersion?: string;
}
interface ApiError {
  fieldErrors: { code: string; field: string; message: string }[];
}

let fake: AstroFake;
let deploys: string;
beforeEach(async () => {
  fake = await startAstroFake({ lifecycles: { deploy: { afterPolls: 1 }, liveVersion: false } });
  const deployment = fake.state.seed(`${org(fake)}/deployments`, { name: "d", isDagDeployEnabled: true });
  deploys = `${org(fake)}/deployments/${String(deployment.id)}/deploys`;
});
afterEach(() => fake.close());

async function createDeploy(): Promise<{ id: string; dagsUploadUrl: string }> {
  const answer = await call(fake, "POST", deploys, { body: { type: "DAG_ONLY" } });
  expect(answer.status).toBe(200);
  return answer.json as { id: string; dagsUploadUrl: string };
}

it("runs create → upload → finalize → DEPLOYED, and the upload URL never needs or sees the token", async () => {
  const deploy = await createDeploy();
  const url = new URL(deploy.dagsUploadUrl);
  expect(url.origin).toBe(fake.url);
  expect(url.pathname).not.toMatch(/^\/v1\//);
  expect(url.searchParams.get("sig")).toMatch(/\S/);
  const tarball = gzipSync(Buffer.from("dags/example.py"));
  const put = await fetch(url, { method: "PUT", headers: { "x-ms-blob-type": "BlockBlob" }, body: tarball });
  expect(put.status).toBe(201);
  const version = put.headers.get("x-ms-version-id");
  expect(version).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);

  const [upload] = fake.uploads;
  expect(upload).toMatchObject({ deployId: deploy.id, method: "PUT", status: 201, versionId: version });
  expect(Buffer.from(upload!.body)).toEqual(tarball);
  expect(upload!.headers["x-ms-blob-type"]).toBe("BlockBlob");
  expect(upload!.headers.authorization).toBeUndefined();

  const path = `${deploys}/${deploy.id}`;
  const finalized = await call(fake, "POST", `${path}/finalize`, { body: { dagTarballVersion: version } });
  expect(finalized.status).toBe(200);
  expect((finalized.json as Deploy).dagTarballVersion).toBe(version);
  const deploymentPath = deploys.replace(/\/deploys$/, "");
  const deployment = async (): Promise<Deployment> =>
    (await call(fake, "GET", deploymentPath)).json as Deployment;
  expect((await deployment()).desiredDagTarballVersion).toBe(version);
  expect((await deployment()).dagTarballVersion).not.toBe(version);
  expect(((await call(fake, "GET", path)).json as Deploy).status).toBe("DEPLOYED");
  // Once the deploy is done, the deployment runs its DAGs.
  expect((await deployment()).dagTarballVersion).toBe(version);
});

it("refuses what Azure refuses: no or another x-ms-blob-type, a wrong signature, another method, an unknown blob", async () => {
  const deploy = await createDeploy();
  const url = new URL(deploy.dagsUploadUrl);
  const put = (target: URL | string, headers: Record<string, string>, method = "PUT") =>
    fetch(target, { method, headers, body: method === "PUT" ? "x" : undefined });
  const missing = await put(url, {});
  expect([missing.status, missing.headers.get("x-ms-error-code")]).toEqual([400, "MissingRequiredHeader"]);
  expect((await put(url, { "x-ms-blob-type": "AppendBlob" })).status).toBe(400);
  const forged = new URL(url);
  forged.searchParams.set("sig", "forged");
  expect((await put(forged, { "x-ms-blob-type": "BlockBlob" })).status).toBe(403);
  expect((await put(url, {}, "GET")).status).toBe(405);
  expect(
    (await put(`${fake.url}/fake-blob/dags/unknown.tar.gz?sig=x`, { "x-ms-blob-type": "BlockBlob" })).status,
  ).toBe(404);
  expect(fake.uploads.map((u) => u.status)).toEqual([400, 400, 403, 405, 404]);
  expect(fake.uploads.every((u) => u.versionId === undefined)).toBe(true);
});

it("refuses a finalize without the version of an upload of this deploy", async () => {
  const deploy = await createDeploy();
  const finalize = `${deploys}/${deploy.id}/finalize`;
  const none = await call(fake, "POST", finalize, { body: {} });
  expect(none.status).toBe(400);
  expect((none.json as ApiError).fieldErrors[0]).toMatchObject({
    field: "dagTarballVersion",
    code: "required",
  });
  const wrong = await call(fake, "POST", finalize, {
    body: { dagTarballVersion: "2026-01-01T00:00:00.0000000Z" },
  });
  expect((wrong.json as ApiError).fieldErrors[0]).toMatchObject({
    field: "dagTarballVersion",
    code: "invalid",
  });
  expect(fake.state.get(`${deploys}/${deploy.id}`)?.status).toBe("INITIALIZED");
});

it("hands out no upload URL when the deployment does not take DAG deploys", async () => {
  const deployment = fake.state.seed(`${org(fake)}/deployments`, {
    name: "image-only",
    isDagDeployEnabled: false,
  });
  const answer = await call(fake, "POST", `${org(fake)}/deployments/${String(deployment.id)}/deploys`, {
    body: { type: "DAG_ONLY" },
  });
  const deploy = answer.json as Deploy;
  expect(deploy.dagsUploadUrl).toBeUndefined();
  expect(deploy.isDagDeployEnabled).toBe(false);
});

it("takes faults of its own: an upload fails in Azure's words, or is stored while its answer is lost", async () => {
  const deploy = await createDeploy();
  const put = () =>
    fetch(deploy.dagsUploadUrl, { method: "PUT", headers: { "x-ms-blob-type": "BlockBlob" }, body: "tar" });
  fake.faults.once({ operationId: "UploadDagTarball", kind: "error", status: 500 });
  const failed = await put();
  expect([failed.status, failed.headers.get("x-ms-error-code")]).toEqual([500, "InternalError"]);
  expect(await failed.text()).toMatch(/^<\?xml/);
  fake.faults.once({ operationId: "UploadDagTarball", kind: "reset", after: true });
  await expect(put()).rejects.toThrow(TypeError);
  expect(fake.uploads.map((u) => u.status)).toEqual([201]);
  // Retrying the same bytes stores another version, as Azure does.
  const retried = await put();
  expect(retried.status).toBe(201);
  expect(fake.uploads.map((u) => u.versionId)).toHaveLength(2);
  expect(new Set(fake.uploads.map((u) => u.versionId)).size).toBe(2);
});
