/**
 * What makes a deploy "done", and what is refused before one is created, against a local server
 * that follows the v1.0 document: FinalizeDeploy answers DEPLOYED at once, the Deployment stays
 * HEALTHY, and only its dagTarballVersion tells when the new DAGs are served.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import * as tar from "tar";
import { describe, expect, it } from "vitest";
import { AstroConfigError } from "../../src/index.js";
import { AstroDeployError, HYBRID_MONITORING_DAG } from "../../src/workflows/index.js";
import { linkEscape, pathEscape } from "../../src/workflows/tarball-check.js";
import { rejection } from "../helpers/client.js";
import { unpack, useDeployRig } from "./deploy-rig.js";

const rig = useDeployRig();
const fast = { minDelayMs: 10, maxDelayMs: 40, maxWaitMs: 20_000 };

/** A tar archive holding the given entries (files with a body, or links). */
function archive(entries: { path: string; type?: "File" | "SymbolicLink" | "Link"; linkpath?: string }[]) {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = entry.type && entry.type !== "File" ? Buffer.alloc(0) : Buffer.from("x = 1\n");
    const header = new tar.Header({
      path: entry.path,
      type: entry.type ?? "File",
      linkpath: entry.linkpath,
      size: body.length,
      mode: 0o644,
      mtime: new Date(0),
    });
    const block = Buffer.alloc(512);
    header.encode(block);
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}

describe("done means live", () => {
  it("resolves only once the Deployment serves the finalized dagTarballVersion, 1.5 s after FinalizeDeploy answered DEPLOYED", async () => {
    const w = rig.setup({ liveAfterMs: 1_500 });
    const result = await w.deployDags({ deploymentId: "dep-1", directory: rig.dags(), wait: fast });
    const resolvedAt = performance.now();
    const { record } = w;
    // The server's own record: it served the new version no earlier than 1.5 s after finalizing,
    // and deployDags resolved after that read, never on the stale reads before it.
    expect(record.finalizedAt).toBeDefined();
    expect(record.firstLiveReadAt).toBeDefined();
    expect(record.firstLiveReadAt! - record.finalizedAt!).toBeGreaterThanOrEqual(1_500);
    expect(resolvedAt).toBeGreaterThanOrEqual(record.firstLiveReadAt!);
    const stale = record.versionsServed.filter((v) => v !== result.dagTarballVersion);
    expect(stale.length).toBeGreaterThanOrEqual(2); // the pre-flight read and at least one poll
    expect(record.versionsServed.at(-1)).toBe(result.dagTarballVersion);
    expect(result).toMatchObject({
      live: true,
      deploy: { status: "DEPLOYED" },
      deployment: { status: "HEALTHY", dagTarballVersion: result.dagTarballVersion },
    });
  });

  it("without wait, says it is not known to be live", async () => {
    const result = await rig.setup().deployDags({ deploymentId: "dep-1", directory: rig.dags() });
    expect(result.live).toBe(false);
    expect(result.deployment).toBeUndefined();
  });
});

describe("pre-flight: refused before CreateDeploy", () => {
  const refusals: [string, Record<string, unknown>, RegExp][] = [
    [
      "DAG deploys disabled",
      { isDagDeployEnabled: false },
      /DAG deploys are not enabled on Deployment dep-1/,
    ],
    ["CI/CD enforced", { isCicdEnforced: true }, /enforces CI\/CD deploys.*pass ciCd: true/],
    [
      "Hybrid without allowHybrid",
      { type: "HYBRID" },
      new RegExp(`remove Astronomer's monitoring DAG \\(${HYBRID_MONITORING_DAG}.*allowHybrid: true`),
    ],
  ];
  for (const [name, deployment, message] of refusals) {
    it(`${name}: AstroDeployError at preflight, no CreateDeploy, no upload`, async () => {
      const w = rig.setup({ deployment });
      const error = (await rejection(
        w.deployDags({ deploymentId: "dep-1", directory: rig.dags(), wait: fast }),
      )) as AstroDeployError;
      expect(error).toBeInstanceOf(AstroDeployError);
      expect(error).toMatchObject({ step: "preflight", deploymentId: "dep-1", deployId: undefined });
      expect(error.message).toMatch(message);
      expect(rig.routes()).toEqual(["GET /organizations/org-1/deployments/dep-1"]);
      expect(rig.blob.received).toHaveLength(0);
    });
  }

  it("deploys to a Hybrid or CI/CD-enforced Deployment when the caller says so", async () => {
    const w = rig.setup({ deployment: { type: "HYBRID", isCicdEnforced: true } });
    const result = await w.deployDags({
      deploymentId: "dep-1",
      directory: rig.dags(),
      allowHybrid: true,
      ciCd: true,
    });
    expect(result.deployId).toBe("deploy-1");
    expect(rig.writes()).toHaveLength(2);
  });
});

describe("ready tarballs are checked before anything is created", () => {
  const bad: [string, Parameters<typeof archive>[0]][] = [
    ["a ../ member", [{ path: "dags/ok.py" }, { path: "dags/../../evil.py" }]],
    ["an absolute member", [{ path: "/etc/cron.d/evil" }]],
    ["a symbolic link leaving the bundle", [{ path: "dags/up", type: "SymbolicLink", linkpath: "../../.." }]],
    ["a symbolic link to an absolute path", [{ path: "dags/etc", type: "SymbolicLink", linkpath: "/etc" }]],
    ["a hard link leaving the bundle", [{ path: "dags/h", type: "Link", linkpath: "../outside" }]],
  ];
  for (const [name, entries] of bad) {
    it(`refuses ${name} (plain and gzipped) with AstroConfigError, sending nothing`, async () => {
      const plain = archive(entries);
      const { gzipSync } = await import("node:zlib");
      for (const tarball of [plain, gzipSync(plain)]) {
        const error = await rejection(rig.setup().deployDags({ deploymentId: "dep-1", tarball }));
        expect(error).toBeInstanceOf(AstroConfigError);
        expect(error.message).toMatch(/would land outside the bundle/);
      }
      expect(rig.routes()).toEqual([]);
      expect(rig.blob.received).toHaveLength(0);
    });
  }

  it("takes members and links that stay inside", async () => {
    const tarball = archive([
      { path: "dags/a.py" },
      { path: "dags/sub/b.py" },
      { path: "dags/sub/link.py", type: "SymbolicLink", linkpath: "../a.py" },
    ]);
    await expect(rig.setup().deployDags({ deploymentId: "dep-1", tarball })).resolves.toMatchObject({
      deployId: "deploy-1",
    });
  });

  it("pathEscape: a path escapes exactly when it is absolute or has a `..` segment", () => {
    const segment = fc.constantFrom("a", "dags", "..", ".", "x.py", "..a", "a..");
    fc.assert(
      fc.property(fc.boolean(), fc.array(segment, { minLength: 1, maxLength: 6 }), (absolute, parts) => {
        const path = (absolute ? "/" : "") + parts.join("/");
        expect(pathEscape(path) !== undefined).toBe(absolute || parts.includes(".."));
      }),
    );
  });

  it("linkEscape: a relative symbolic link escapes exactly when resolving it climbs above the root", () => {
    const segment = fc.constantFrom("a", "..", ".", "b");
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("d", "e"), { maxLength: 3 }),
        fc.array(segment, { minLength: 1, maxLength: 6 }),
        (dirs, target) => {
          let depth = dirs.length;
          let escaped = false;
          for (const part of target) {
            if (part === "..") {
              if (depth === 0) escaped = true;
              depth = Math.max(depth - 1, 0);
            } else if (part !== ".") depth += 1;
          }
          const link = [...dirs, "link"].join("/");
          expect(linkEscape(link, target.join("/"), false) !== undefined).toBe(escaped);
        },
      ),
    );
  });
});

describe("dagsBaseDir", () => {
  it("false packs entries at the bundle root; the default under dags/", async () => {
    const dir = join(rig.root, "af3");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "hello_dag.py"), "from airflow.sdk import dag\n");
    await rig.setup().deployDags({ deploymentId: "dep-1", directory: dir, dagsBaseDir: false });
    expect(Object.keys(await unpack(rig.blob.received.at(-1)!.body))).toEqual(["hello_dag.py"]);
    await rig.setup().deployDags({ deploymentId: "dep-1", directory: dir });
    expect(Object.keys(await unpack(rig.blob.received.at(-1)!.body))).toEqual(["dags/hello_dag.py"]);
  });
});

describe("deployBundle against the local server", () => {
  it("BUNDLE deploy end to end: bundleType and bundleMountPath, bundleUploadUrl, bundleTarballVersion, live once the bundle's currentVersion is it", async () => {
    const project = join(rig.root, "jaffle");
    await mkdir(join(project, "models"), { recursive: true });
    await writeFile(join(project, "dbt_project.yml"), "name: jaffle\n");
    await writeFile(join(project, "models/orders.sql"), "select 1\n");
    const w = rig.setup({ liveAfterMs: 300 });
    const mountPath = "/usr/local/airflow/dbt/jaffle";
    const result = await w.deployBundle({ deploymentId: "dep-1", directory: project, mountPath, wait: fast });
    const resolvedAt = performance.now();
    expect(rig.routes().slice(0, 3)).toEqual([
      "GET /organizations/org-1/deployments/dep-1",
      "POST /organizations/org-1/deployments/dep-1/deploys",
      "POST /organizations/org-1/deployments/dep-1/deploys/deploy-1/finalize",
    ]);
    expect(JSON.parse(rig.api.server.received[1]!.body)).toEqual({
      type: "BUNDLE",
      bundleType: "dbt",
      bundleMountPath: mountPath,
    });
    expect(JSON.parse(rig.api.server.received[2]!.body)).toEqual({
      bundleTarballVersion: result.bundleTarballVersion,
    });
    expect(rig.blob.received).toHaveLength(1);
    expect(rig.blob.received[0]!.headers.authorization).toBeUndefined();
    expect(Object.keys(await unpack(rig.blob.received[0]!.body)).sort()).toEqual([
      "dbt_project.yml",
      "models/orders.sql",
    ]);
    expect(result).toMatchObject({ live: true, mountPath, deployId: "deploy-1" });
    expect(resolvedAt).toBeGreaterThanOrEqual(w.record.firstLiveReadAt!);
    expect(w.record.firstLiveReadAt! - w.record.finalizedAt!).toBeGreaterThanOrEqual(300);
    expect(w.events.filter((e) => e.type === "deploy").map((e) => e.type === "deploy" && e.workflow)).toEqual(
      Array(7).fill("deployBundle"),
    );
  });

  it("refuses a mount path that is not absolute, before any request", async () => {
    for (const mountPath of ["dbt/jaffle", "", "/usr/../etc", 7]) {
      const error = await rejection(
        rig
          .setup()
          .deployBundle({ deploymentId: "dep-1", directory: rig.root, mountPath: mountPath as string }),
      );
      expect(error).toBeInstanceOf(AstroConfigError);
    }
    expect(rig.routes()).toEqual([]);
  });
});
