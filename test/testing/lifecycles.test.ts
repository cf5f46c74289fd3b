/** Deployments, clusters and deploys move through their statuses on a clock the test controls. */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { startAstroFake, type AstroFake } from "../../src/testing/index.js";
import { call, org } from "./fake-client.js";
import { responseProblems, sampleRequestBody } from "./v1-document.js";
import { runs } from "../helpers/depth.js";

/** The parts of the fake's answers these tests read. */
interface Resource {
  id: string;
  status: string;
  dagsUploadUrl?: string;
}

let fake: AstroFake | undefined;
afterEach(() => fake?.close());

async function statuses(f: AstroFake, path: string, polls: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < polls; i++) seen.push(((await call(f, "GET", path)).json as Resource).status);
  return seen;
}

describe("lifecycles", () => {
  it("a deployment is CREATING, then HEALTHY from the second poll (default)", async () => {
    fake = await startAstroFake();
    const body = { ...(sampleRequestBody("CreateDeployment") as object), name: "d" };
    const created = (await call(fake, "POST", `${org(fake)}/deployments`, { body })).json as Resource;
    expect(created.status).toBe("CREATING");
    const path = `${org(fake)}/deployments/${created.id}`;
    expect(await statuses(fake, path, 3)).toEqual(["CREATING", "HEALTHY", "HEALTHY"]);
  });

  it("a cluster goes CREATING → CREATED after the chosen number of polls, or to a chosen failure", async () => {
    fake = await startAstroFake({ lifecycles: { cluster: { afterPolls: 3 } } });
    const created = await call(fake, "POST", `${org(fake)}/clusters`, {
      body: sampleRequestBody("CreateCluster"),
    });
    expect(created.status, created.text).toBe(200);
    expect(await statuses(fake, `${org(fake)}/clusters/${(created.json as Resource).id}`, 4)).toEqual([
      "CREATING",
      "CREATING",
      "CREATED",
      "CREATED",
    ]);
    await fake.close();
    fake = await startAstroFake({ lifecycles: { cluster: { afterPolls: 1, outcome: "CREATE_FAILED" } } });
    const failing = await call(fake, "POST", `${org(fake)}/clusters`, {
      body: sampleRequestBody("CreateCluster"),
    });
    expect(await statuses(fake, `${org(fake)}/clusters/${(failing.json as Resource).id}`, 1)).toEqual([
      "CREATE_FAILED",
    ]);
  });

  it("moves on by the fake's clock when told to, without sleeping", async () => {
    fake = await startAstroFake({ lifecycles: { deployment: { afterPolls: Infinity, afterMs: 60_000 } } });
    const d = await call(fake, "POST", `${org(fake)}/deployments`, {
      body: sampleRequestBody("CreateDeployment"),
    });
    const path = `${org(fake)}/deployments/${(d.json as Resource).id}`;
    expect(await statuses(fake, path, 5)).toEqual(Array(5).fill("CREATING"));
    fake.clock.advance(59_000);
    expect(await statuses(fake, path, 1)).toEqual(["CREATING"]);
    fake.clock.advance(1_000);
    expect(await statuses(fake, path, 1)).toEqual(["HEALTHY"]);
    // A list shows the status as it is now too.
    const list = await call(fake, "GET", `${org(fake)}/deployments`);
    expect((list.json as { deployments: Resource[] }).deployments[0]?.status).toBe("HEALTHY");
  });

  it("a deploy stays INITIALIZED until finalized, then becomes DEPLOYED; settle() ends every wait", async () => {
    fake = await startAstroFake({ lifecycles: { deploy: { afterPolls: 2 } } });
    const deployment = fake.state.seed(`${org(fake)}/deployments`, { name: "d", isDagDeployEnabled: false });
    expect(deployment.status).toBe("HEALTHY");
    const deploys = `${org(fake)}/deployments/${String(deployment.id)}/deploys`;
    const deploy = await call(fake, "POST", deploys, { body: { type: "IMAGE_ONLY" } });
    expect(responseProblems("CreateDeploy", 200, deploy.json)).toEqual([]);
    expect(deploy.json).toMatchObject({ status: "INITIALIZED", type: "IMAGE_ONLY" });
    expect((deploy.json as Resource).dagsUploadUrl).toBeUndefined();
    const path = `${deploys}/${(deploy.json as Resource).id}`;
    expect(await statuses(fake, path, 3)).toEqual(Array(3).fill("INITIALIZED"));
    const finalized = await call(fake, "POST", `${path}/finalize`, { body: {} });
    expect((finalized.json as Resource).status).toBe("INITIALIZED");
    expect(await statuses(fake, path, 2)).toEqual(["INITIALIZED", "DEPLOYED"]);

    const second = await call(fake, "POST", deploys, { body: { type: "IMAGE_ONLY" } });
    const secondId = (second.json as Resource).id;
    await call(fake, "POST", `${deploys}/${secondId}/finalize`, { body: {} });
    fake.settle();
    expect(fake.state.get(`${deploys}/${secondId}`)?.status).toBe("DEPLOYED");
  });

  it("for any afterPolls n, the n-th read is the first to show the end status", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 8 }), async (n, reads) => {
        const f = await startAstroFake({ lifecycles: { cluster: { afterPolls: n } }, rateLimits: false });
        try {
          const created = await call(f, "POST", `${org(f)}/clusters`, {
            body: sampleRequestBody("CreateCluster"),
          });
          expect((created.json as Resource).status).toBe(n === 0 ? "CREATED" : "CREATING");
          const seen = await statuses(f, `${org(f)}/clusters/${(created.json as Resource).id}`, reads);
          expect(seen).toEqual(
            Array.from({ length: reads }, (_, i) => (i + 1 >= n ? "CREATED" : "CREATING")),
          );
        } finally {
          await f.close();
        }
      }),
      { numRuns: runs(15) },
    );
  });

  it("refuses an outcome the document does not have, at start", async () => {
    await expect(startAstroFake({ lifecycles: { deployment: { outcome: "READY" } } })).rejects.toThrow(
      /READY is not a Deployment status/,
    );
  });
});
