/**
 * `npm run demo -- --live`: a read-only look at a real organization through the v1 client, with
 * `ASTRO_API_TOKEN` (and `ASTRO_ORGANIZATION_ID`, else the first organization the token sees).
 */
import { specs } from "../../generated/operations.js";
import { AstroApiError, createAstroClient, type AstroClient } from "../../src/index.js";
import { step } from "./print.js";

/** What `--live` needs, said exactly (test/scripts/demo.test.ts holds this text). */
export const LIVE_USAGE =
  "npm run demo -- --live reads from the real Astro API and needs an API token:\n" +
  "  export ASTRO_API_TOKEN=<an Organization, Workspace or Deployment API token>\n" +
  "  export ASTRO_ORGANIZATION_ID=<your Organization's ID>   (optional: else the first organization listed)\n" +
  "It only lists and reads; it changes nothing. Without --live, npm run demo needs nothing.";

const PAGE_SIZE = 2;
const MAX_PAGES = 3;

async function organization(astro: AstroClient, wanted: string | undefined): Promise<string> {
  const { data } = await astro.listOrganizations();
  const names = data.organizations.map((o) => `${o.name} (${o.id})`);
  step("organizations", `${data.organizations.length} listed: ${names.slice(0, 3).join(", ")}`);
  const id = wanted ?? data.organizations[0]?.id;
  if (!id) throw new Error("the token sees no organization; set ASTRO_ORGANIZATION_ID");
  return id;
}

/** The first pages of the organization's deployments, a few items a page. */
async function deployments(astro: AstroClient, organizationId: string): Promise<void> {
  const offsets: number[] = [];
  let seen = 0;
  let total: number | undefined;
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
    if (offsets.length === MAX_PAGES) break;
  }
  step(
    "deployments",
    `paginate, ${PAGE_SIZE} a page: ${offsets.length} page${offsets.length === 1 ? "" : "s"} ` +
      `(offset ${offsets.join("/") || "-"}), ${seen} item${seen === 1 ? "" : "s"} of totalCount ${total ?? "?"}`,
  );
}

/** A call that fails, shown as the SDK reports it. */
async function deliberateError(astro: AstroClient, organizationId: string): Promise<void> {
  try {
    await astro.getDeployment({ organizationId, deploymentId: "does-not-exist" });
    step("error", "unexpectedly succeeded");
  } catch (error) {
    if (!(error instanceof AstroApiError)) throw error;
    step("error", `${error.name}  status ${error.status}  requestId ${error.requestId ?? "(none)"}`);
  }
}

export async function liveTour(token: string, wanted: string | undefined): Promise<void> {
  console.log(`astro-api-client demo, live and read-only: ${specs.v1.server}\n`);
  const astro = createAstroClient({ token });
  const organizationId = await organization(astro, wanted);
  await deployments(astro, organizationId);
  const { data } = await astro.listWorkspaces({ organizationId, limit: 5 });
  step(
    "workspaces",
    `${data.totalCount} in the organization: ${data.workspaces.map((w) => w.name).join(", ")}`,
  );
  const teams = await astro.listTeams({ organizationId, limit: 5 });
  step("teams", `${teams.data.totalCount} in the organization`);
  await deliberateError(astro, organizationId);
  step("writes", "skipped: --live only reads");
}
