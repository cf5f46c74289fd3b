/** deployDags end to end: create → upload → finalize → wait, against a local API and blob store. */
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packDirectory } from "../../src/workflows/pack.js";
import { azureError, stored } from "./blob-server.js";
import { DAGS, SAS, TOKEN, unpack, useDeployRig, wait } from "./deploy-rig.js";

const rig = useDeployRig();

describe("deployDags end to end", () => {
  it("creates, uploads the packed folder to the blob store without the token, finalizes with its version id, and waits", async () => {
    const w = rig.setup();
    const result = await w.deployDags(
      { deploymentId: "dep-1", directory: rig.dags(), description: "nightly", wait },
      {},
    );
    expect(result).toMatchObject({
      deployId: "deploy-1",
      dagTarballVersion: "2026-12-01T10:00:00.0000000Z",
      live: true,
      deploy: { status: "DEPLOYED" },
      deployment: { status: "HEALTHY", dagTarballVersion: "2026-12-01T10:00:00.0000000Z" },
      files: 3,
      git: undefined,
    });
    // The blob store got one PUT of a gzipped tarball holding exactly the deployable files.
    expect(rig.blob.received).toHaveLength(1);
    const put = rig.blob.received[0]!;
    expect(put.url).toBe(`/dags/dep-1?${SAS}`);
    expect(put.headers["x-ms-blob-type"]).toBe("BlockBlob");
    expect(put.headers["content-type"]).toBe("application/gzip");
    expect(put.headers.authorization).toBeUndefined();
    expect(JSON.stringify(put.headers)).not.toContain(TOKEN);
    expect(result.bytes).toBe(put.body.length);
    expect(put.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(await unpack(put.body)).toEqual(DAGS);
    // The API got the pre-flight read, create, finalize with the version id, then the poll (the
    // Deployment already serves the version: no need to read the deploy), all with the token.
    expect(rig.routes().slice(0, 3)).toEqual([
      "GET /organizations/org-1/deployments/dep-1",
      "POST /organizations/org-1/deployments/dep-1/deploys",
      "POST /organizations/org-1/deployments/dep-1/deploys/deploy-1/finalize",
    ]);
    expect(JSON.parse(rig.api.server.received[1]!.body)).toEqual({
      type: "DAG_ONLY",
      description: "nightly",
    });
    expect(JSON.parse(rig.api.server.received[2]!.body)).toEqual({
      dagTarballVersion: "2026-12-01T10:00:00.0000000Z",
    });
    expect(rig.routes().slice(3)).toEqual(["GET /organizations/org-1/deployments/dep-1"]);
    for (const r of rig.api.server.received) expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
    // Steps in order, upload progress up to the last byte, and nothing secret in any event.
    expect(w.events.filter((e) => e.type === "deploy").map((e) => e.type === "deploy" && e.step)).toEqual([
      "pack",
      "preflight",
      "create",
      "upload",
      "finalize",
      "wait-live",
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

  it("sends a ready tarball (bytes, a path or a stream) untouched, and a plain tar when asked", async () => {
    const packed = await packDirectory(rig.dags(), { gzip: false });
    expect(packed.contentType).toBe("application/x-tar");
    const file = join(rig.root, "dags.tar");
    await writeFile(file, packed.bytes);
    for (const tarball of [packed.bytes, file, createReadStream(file, { highWaterMark: 1024 })]) {
      rig.blob.received.length = 0;
      const result = await rig.setup().deployDags({ deploymentId: "dep-1", tarball });
      expect(result.files).toBeUndefined();
      expect(rig.blob.received[0]!.body.equals(Buffer.from(packed.bytes))).toBe(true);
      expect(rig.blob.received[0]!.headers["content-type"]).toBe("application/x-tar");
      expect(await unpack(rig.blob.received[0]!.body)).toEqual(DAGS);
    }
  });

  it("retries a busy blob store with the same bytes", async () => {
    rig.blob.answer((request, res, index) =>
      index < 2 ? azureError(res, 503, "ServerBusy", "busy") : stored(request, res, index),
    );
    const w = rig.setup();
    const result = await w.deployDags({ deploymentId: "dep-1", directory: rig.dags() });
    expect(rig.blob.received).toHaveLength(3);
    expect(rig.blob.received[2]!.body.equals(rig.blob.received[0]!.body)).toBe(true);
    expect(result.dagTarballVersion).toBe("2026-12-01T10:00:02.0000000Z");
    expect(
      w.events
        .filter((e) => e.type === "upload" && e.bytesSent === 0)
        .map((e) => e.type === "upload" && e.attempt),
    ).toEqual([1, 2, 3]);
  });
});

describe("large uploads", () => {
  it("reports about a hundred progress events for a 6 MB tarball, in order, ending at the last byte", async () => {
    const big = Buffer.concat([Buffer.alloc(512), randomBytes(6 * 1024 * 1024)]);
    big.write("ustar", 257, "latin1"); // a tar header's magic: enough for deployDags to take it as a tarball
    const w = rig.setup();
    await w.deployDags({ deploymentId: "dep-1", tarball: big });
    expect(rig.blob.received[0]!.body.equals(big)).toBe(true);
    const sent = w.events.flatMap((e) => (e.type === "upload" ? [e.bytesSent] : []));
    expect(sent.length).toBeGreaterThanOrEqual(50);
    expect(sent.length).toBeLessThanOrEqual(110);
    expect(sent[0]).toBe(0);
    expect(sent.at(-1)).toBe(big.length);
    expect([...sent].sort((a, b) => a - b)).toEqual(sent);
  });
});
