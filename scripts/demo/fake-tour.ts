/**
 * `npm run demo`: the v1 client against the SDK's own fake of the Astro API, started in this
 * process (`astro-api-client/testing`): no Prism, no OpenAPI document read, no token, no network.
 * What is created can be read back, listed, deployed to and deleted, so each step shows what the
 * SDK does with a real answer.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { specs } from "../../generated/operations.js";
import { createAstroClient, type AstroClient } from "../../src/index.js";
import { startAstroFake, type AstroFake } from "../../src/testing/index.js";
import { DEFAULT_LIMITS } from "../../src/throttle/limits.js";
import { bar, busiestWindow, kilobytes, liveStep, seconds, step } from "./print.js";

/** The demo's token, and another one for the burst sent without the SDK (its own budget). */
const TOKEN = "demo-token";
const OTHER_TOKEN = "demo-token-without-sdk";
const PAGE_SIZE = 2;
const BURST = 60;

const DAGS: Record<string, string> = {
  "hello.py":
    'from airflow.decorators import dag, task\n\n@dag(schedule=None)\ndef hello():\n    @task\n    def say():\n        print("hello")\n    say()\n\nhello()\n',
  "etl.py": "from airflow.decorators import dag\n\n@dag(schedule='@daily')\ndef etl():\n    pass\n\netl()\n",
  "reports/weekly.py":
    "from airflow.decorators import dag\n\n@dag(schedule='@weekly')\ndef weekly():\n    pass\n\nweekly()\n",
};

async function createDeployments(astro: AstroClient): Promise<string> {
  const { data: workspace } = await astro.createWorkspace({
    body: { name: "demo-workspace", description: "Created by npm run demo" },
  });
  step("create workspace", `createWorkspace → "${workspace.name}" (${workspace.id})`);
  const body = {
    type: "STANDARD",
    workspaceId: workspace.id,
    cloudProvider: "AWS",
    region: "us-east-1",
  } as const;
  const { data: deployment } = await astro.createDeployment({ body: { ...body, name: "analytics" } });
  step(
    "create deployment",
    `createDeployment → "${deployment.name}" (${deployment.id}), status ${deployment.status}`,
  );

  const seen: string[] = [];
  const began = performance.now();
  const ready = await astro.waitUntilDeploymentReady(
    { deploymentId: deployment.id },
    // No timing option: the fake's answers ask the waiters for quick polls (see docs/testing.md).
    { onProgress: (e) => seen.push(e.status ?? "?") },
  );
  step(
    "wait until ready",
    `waitUntilDeploymentReady: ${seen.join(" → ")} (${seen.length} polls, ${seconds(performance.now() - began)})`,
  );

  // Two more, so that the list has pages.
  for (const name of ["etl", "reporting"]) await astro.createDeployment({ body: { ...body, name } });
  const offsets: number[] = [];
  const names: string[] = [];
  let total: number | undefined;
  const pages = astro
    .paginate("/organizations/{organizationId}/deployments", {
      params: { query: { workspaceIds: [workspace.id] } },
      pageSize: PAGE_SIZE,
    })
    .pages();
  for await (const page of pages) {
    offsets.push(page.offset);
    names.push(...page.items.map((d) => d.name));
    total = page.totalCount;
  }
  step(
    "list",
    `paginate, ${PAGE_SIZE} a page: ${offsets.length} pages (offset ${offsets.join(", ")}) → ` +
      `${names.join(", ")} (totalCount ${total ?? "?"})`,
  );
  return ready.id;
}

async function deployDags(astro: AstroClient, deploymentId: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "astro-demo-dags-"));
  try {
    for (const [file, text] of Object.entries(DAGS)) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
    }
    const line = liveStep("deploy DAGs");
    let sent = 0;
    let total = 0;
    const result = await astro.deployDags(
      { deploymentId, directory: dir, description: "npm run demo", wait: true },
      {
        onProgress: (event) => {
          if (event.type !== "upload") return;
          [sent, total] = [event.bytesSent, event.totalBytes];
          line.update(`uploading ${bar(sent, total)}`);
        },
      },
    );
    line.done(
      `deployDags: ${result.files ?? 0} files (${kilobytes(result.bytes)}), upload ${bar(sent, total)}, ` +
        `deploy ${result.deployId} ${result.deploy.status}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Deletes the deployment while the fake drops the first attempt's connection after deleting. */
async function deleteWithReset(astro: AstroClient, fake: AstroFake, deploymentId: string): Promise<void> {
  fake.faults.once({ operationId: "DeleteDeployment", kind: "reset", after: true });
  const from = fake.requests.length;
  await astro.deleteDeployment({ deploymentId });
  const attempts = fake.requests.slice(from).filter((r) => r.operationId === "DeleteDeployment");
  const told = attempts.map(
    (r, i) => `attempt ${i + 1}: ${r.status === 0 ? "connection dropped" : r.status}`,
  );
  step("delete", `deleteDeployment: ${told.join(", ")} → success`);
  step("", "(the fake deleted, then dropped the answer; for a retried DELETE, 404 means done)");
}

/** A burst without the SDK, then the same through it: the fake's 429s, and the throttle keeping under them. */
async function burst(astro: AstroClient, fake: AstroFake, sent: readonly number[]): Promise<void> {
  const url = `${fake.url}/v1/organizations/${fake.organizationId}/workspaces`;
  const statuses = await Promise.all(
    Array.from({ length: BURST }, () =>
      fetch(url, { headers: { authorization: `Bearer ${OTHER_TOKEN}` } }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    ),
  );
  const refused = statuses.filter((s) => s === 429).length;
  step(
    "rate limit",
    `${BURST} GETs at once with plain fetch: ${BURST - refused} answered, ${refused} refused with 429 ` +
      `(GET ${DEFAULT_LIMITS.get}/s per token)`,
  );
  const from = fake.requests.length;
  const sentBefore = sent.length;
  const began = performance.now();
  await Promise.all(Array.from({ length: BURST }, () => astro.listWorkspaces()));
  const elapsed = performance.now() - began;
  const refusedNow = fake.requests.slice(from).filter((r) => r.status === 429).length;
  step(
    "throttle",
    `${BURST} GETs at once through the SDK: all answered in ${seconds(elapsed)}, at most ` +
      `${busiestWindow(sent.slice(sentBefore))} sent in any second, ${refusedNow} refused (and retried)`,
  );
}

export async function fakeTour(): Promise<void> {
  console.log(
    "astro-api-client demo: the v1 client against the SDK's fake of the Astro API\n" +
      `(astro-api-client/testing, in this process, from the v1 document ${specs.v1.revision}: ` +
      "no account, no network)\n",
  );
  const began = performance.now();
  // The deployment stays CREATING for two polls, so the waiter has something to wait for.
  const fake = await startAstroFake({
    tokens: [TOKEN, OTHER_TOKEN],
    lifecycles: { deployment: { afterPolls: 3 } },
  });
  try {
    // What to give createAstroClient: the v1 client adds /v1 itself, and refuses a baseUrl ending in it.
    step("fake", `baseUrl: "${fake.url}"  (started in ${Math.round(performance.now() - began)} ms)`);
    // When each request left, for the burst's busiest second.
    const sent: number[] = [];
    const astro = createAstroClient({
      token: TOKEN,
      organizationId: fake.organizationId,
      baseUrl: fake.url,
      onEvent: (event) => {
        if (event.type === "request") sent.push(performance.now());
      },
    });
    const deploymentId = await createDeployments(astro);
    await deployDags(astro, deploymentId);
    await deleteWithReset(astro, fake, deploymentId);
    await burst(astro, fake, sent);
  } finally {
    await fake.close();
  }
  console.log(
    "\nThe same fake runs in your tests: README, Testing your code.\n" +
      "npm run demo -- --live reads your organization (read-only, with ASTRO_API_TOKEN).",
  );
}
