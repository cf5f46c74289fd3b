/**
 * `npm run demo`: a short tour of the SDK's v1 client against a local mock of the Astro API v1
 * (no token, no network): list organizations, page through deployments, create a workspace, update a
 * deployment, show a normalised error, and watch the throttle hold a burst of GETs to the
 * default limit.
 *
 * `npm run demo -- --live`: the read-only part of the tour against the real API v1, with
 * `ASTRO_API_TOKEN` (and `ASTRO_ORGANIZATION_ID`, else the first organization listed).
 */
import { parseArgs } from "node:util";
import { specs } from "../../generated/operations.js";
import {
  AstroApiError,
  AstroError,
  createAstroClient,
  type AstroClient,
  type AstroClientOptions,
  type AstroEvent,
} from "../../src/index.js";
import { startAstroMock } from "../../src/mock/index.js";
import { DEFAULT_LIMITS } from "../../src/throttle/limits.js";
import { EXIT, runCli } from "../cli/run-cli.js";

/** What `--live` needs, said exactly (test/scripts/demo.test.ts holds this text). */
const LIVE_USAGE =
  "npm run demo -- --live reads from the real Astro API and needs an API token:\n" +
  "  export ASTRO_API_TOKEN=<an Organization, Workspace or Deployment API token>\n" +
  "  export ASTRO_ORGANIZATION_ID=<your Organization's ID>   (optional: else the first organization listed)\n" +
  "It only lists and reads; it changes nothing. Without --live, npm run demo needs nothing.";

const BURST = 60;
const PAGE_SIZE = 2;
const MAX_PAGES = 3;

/** One aligned line of the tour. */
function step(name: string, text: string): void {
  console.log(`  ${name.padEnd(18)} ${text}`);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function organizations(astro: AstroClient, wanted: string | undefined): Promise<string> {
  const { data } = await astro.GET("/organizations");
  const names = data.organizations.map((o) => `${o.name} (${o.id})`);
  step("organizations", `${data.organizations.length} listed: ${names.slice(0, 3).join(", ")}`);
  const id = wanted ?? data.organizations[0]?.id;
  if (!id) throw new Error("the token sees no organization; set ASTRO_ORGANIZATION_ID");
  return id;
}

/**
 * Pages through deployments with `paginate`, a few items a page. The live API ends at
 * `totalCount`; the mock answers every offset with the same example page, which `paginate`
 * recognises as a repeat and stops at, instead of looping.
 */
async function deployments(
  astro: AstroClient,
  organizationId: string,
  mock: boolean,
): Promise<string | undefined> {
  const offsets: number[] = [];
  let seen = 0;
  let total: number | undefined;
  let first: string | undefined;
  const pages = astro
    .paginate("/organizations/{organizationId}/deployments", {
      params: { path: { organizationId } },
      pageSize: PAGE_SIZE,
    })
    .pages();
  for await (const page of pages) {
    offsets.push(page.offset);
    seen += page.items.length;
    total = page.totalCount;
    first ??= page.items[0]?.id;
    if (offsets.length === MAX_PAGES) break;
  }
  step(
    "deployments",
    `paginate, ${PAGE_SIZE} a page: ${offsets.length} page${offsets.length === 1 ? "" : "s"} ` +
      `(offset ${offsets.join("/") || "-"}), ${seen} item${seen === 1 ? "" : "s"} of totalCount ${total ?? "?"}` +
      (mock ? "; the mock repeats its example page, so paginate stopped at the repeat" : ""),
  );
  return first;
}

async function createWorkspace(astro: AstroClient, organizationId: string): Promise<void> {
  const { data } = await astro.POST("/organizations/{organizationId}/workspaces", {
    params: { path: { organizationId } },
    body: { name: "demo-workspace", description: "Created by npm run demo", cicdEnforcedDefault: true },
  });
  step("create workspace", `POST → workspace "${data.name}" (${data.id})`);
}

async function updateDeployment(
  astro: AstroClient,
  organizationId: string,
  deploymentId: string,
): Promise<void> {
  const { data } = await astro.POST("/organizations/{organizationId}/deployments/{deploymentId}", {
    params: { path: { organizationId, deploymentId } },
    body: {
      type: "HYBRID",
      name: "analytics",
      description: "Updated by npm run demo",
      workspaceId: "clmh7vdf4000008lhhlnk9t6o",
      executor: "CELERY",
      isCicdEnforced: true,
      isDagDeployEnabled: true,
      environmentVariables: [{ key: "TIER", value: "demo", isSecret: false }],
      scheduler: { au: 5, replicas: 1 },
    },
  });
  step("update deployment", `POST → deployment "${data.name}" (${data.id}), status ${data.status}`);
}

/** A call that fails, shown as the SDK reports it. */
async function deliberateError(astro: AstroClient, organizationId: string, mock: boolean): Promise<void> {
  try {
    await astro.GET("/organizations/{organizationId}/deployments/{deploymentId}", {
      params: { path: { organizationId, deploymentId: "does-not-exist" } },
      // The mock answers with a declared error when asked; the real API finds no such deployment.
      headers: mock ? { Prefer: "code=404, dynamic=true" } : {},
    });
    step("error", "unexpectedly succeeded");
  } catch (error) {
    if (!(error instanceof AstroApiError)) throw error;
    step("error", `${error.name}  status ${error.status}  requestId ${error.requestId ?? "(none)"}`);
    step("", error.message);
  }
}

/** Fires a burst of GETs at the default limit and reports what the throttle let through. */
async function burst(options: AstroClientOptions): Promise<void> {
  const starts: number[] = [];
  const astro = createAstroClient({
    ...options,
    onEvent: (event: AstroEvent) => {
      if (event.type === "request") starts.push(performance.now());
    },
  });
  const began = performance.now();
  await Promise.all(Array.from({ length: BURST }, () => astro.GET("/organizations")));
  const elapsed = performance.now() - began;
  starts.sort((a, b) => a - b);
  // The most requests sent within any 1,000 ms: what the server's window would count.
  let busiest = 0;
  for (let i = 0, j = 0; j < starts.length; j++) {
    while (starts[j]! - starts[i]! >= 1000) i++;
    busiest = Math.max(busiest, j - i + 1);
  }
  step(
    "throttle",
    `${BURST} GETs in ${seconds(elapsed)} = ${(BURST / (elapsed / 1000)).toFixed(1)}/s; ` +
      `at most ${busiest} sent in any second (default limit GET ${DEFAULT_LIMITS.get}/s)`,
  );
}

async function mockTour(): Promise<void> {
  console.log(
    `astro-api-client demo: the v1 client against a local mock of the Astro API\n` +
      `(Prism serving the pinned v1 document ${specs.v1.revision}, X-API-Version ${specs.v1.apiVersion}; ` +
      `no token, no network)\n`,
  );
  const began = performance.now();
  // Seeded, so that generated answers (the error below) are the same on every run.
  const mock = await startAstroMock({ seed: "demo" });
  try {
    step("mock", `${mock.url}/v1  (started in ${seconds(performance.now() - began)})`);
    // Any token will do for the mock; the real one, if set, is not sent anywhere.
    const options: AstroClientOptions = { token: "demo-token", baseUrl: mock.url };
    const astro = createAstroClient(options);
    const organizationId = await organizations(astro, undefined);
    const deploymentId = (await deployments(astro, organizationId, true)) ?? "demo-deployment";
    await createWorkspace(astro, organizationId);
    await updateDeployment(astro, organizationId, deploymentId);
    await deliberateError(astro, organizationId, true);
    await burst(options);
  } finally {
    await mock.close();
  }
  console.log(
    `\nEvery call went through createAstroClient: auth, throttle, retries, typed errors.\n` +
      `Next: npm run mock keeps a mock running; npm run demo -- --live reads your organization.`,
  );
}

async function liveTour(token: string, organization: string | undefined): Promise<void> {
  console.log(`astro-api-client demo, live and read-only: ${specs.v1.server}\n`);
  const astro = createAstroClient({ token });
  const organizationId = await organizations(astro, organization);
  await deployments(astro, organizationId, false);
  const { data } = await astro.GET("/organizations/{organizationId}/workspaces", {
    params: { path: { organizationId }, query: { limit: 5 } },
  });
  step(
    "workspaces",
    `${data.totalCount} in the organization: ${data.workspaces.map((w) => w.name).join(", ")}`,
  );
  const teams = await astro.GET("/organizations/{organizationId}/teams", {
    params: { path: { organizationId }, query: { limit: 5 } },
  });
  step("teams", `${teams.data.totalCount} in the organization`);
  await deliberateError(astro, organizationId, false);
  step("writes", "skipped: --live only reads");
}

await runCli(
  async () => {
    const { values } = parseArgs({ options: { live: { type: "boolean", default: false } } });
    if (!values.live) {
      await mockTour();
      return EXIT.ok;
    }
    const token = process.env.ASTRO_API_TOKEN;
    if (!token) {
      console.error(LIVE_USAGE);
      return EXIT.failed;
    }
    await liveTour(token, process.env.ASTRO_ORGANIZATION_ID || undefined);
    return EXIT.ok;
  },
  { messages: [AstroError] },
);
