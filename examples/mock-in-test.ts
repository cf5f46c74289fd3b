/**
 * Testing your own automation without touching Astro: `startAstroMock()` serves this SDK's pinned
 * v1 API document from a local Prism server (it needs `@stoplight/prism-cli` as a dev dependency).
 *
 *   npx tsx --test examples/mock-in-test.ts
 *
 * node:test here; with vitest or jest, start the mock in `beforeAll` and close it in `afterAll`.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { BadRequestError, createAstroClient, NotFoundError, type AstroClient } from "../src/index.js"; // "astro-api-client"
import { startAstroMock, type AstroMock } from "../src/mock/index.js"; // "astro-api-client/mock"

/** The automation under test: how many Deployments are in each status. */
async function countByStatus(astro: AstroClient): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for await (const deployment of astro.paginate("/organizations/{organizationId}/deployments")) {
    counts[deployment.status] = (counts[deployment.status] ?? 0) + 1;
  }
  return counts;
}

let mock: AstroMock;
let astro: AstroClient;

before(async () => {
  mock = await startAstroMock();
  // Any token is accepted; make it one that cannot occur in a response (the client redacts it).
  astro = createAstroClient({ token: "token-for-the-mock", organizationId: "my-org", baseUrl: mock.url });
});

after(async () => {
  await astro.close();
  await mock.close();
});

test("answers with the documents' examples", async () => {
  // The Platform API document's example list holds one Deployment; Prism fills its status with
  // the first value the schema allows.
  assert.deepEqual(await countByStatus(astro), { CREATING: 1 });
});

test("answers with a declared error on request", async () => {
  await assert.rejects(
    astro.getDeployment({ deploymentId: "gone" }, { headers: { Prefer: "code=404" } }),
    NotFoundError,
  );
});

test("rejects what the types cannot catch but the API document forbids", async () => {
  // `limit` is a number, so this compiles; the document allows at most 1,000.
  await assert.rejects(astro.listTeams({ limit: 5000 }), (error: unknown) => {
    assert.ok(error instanceof BadRequestError, String(error));
    // The body is the document's example error; Prism says what was wrong in this header.
    assert.match(error.headers["sl-violations"] ?? "", /limit/);
    return true;
  });
});
