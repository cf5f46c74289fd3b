/**
 * Lists every Deployment of an Organization, fetching pages as it goes.
 *
 *   ASTRO_API_TOKEN=… ASTRO_ORGANIZATION_ID=… npx tsx examples/list-deployments.ts
 *
 * Every example reads the token and the Organization from ASTRO_API_TOKEN and
 * ASTRO_ORGANIZATION_ID (the client's defaults), and — when set — the API host from
 * ASTRO_BASE_URL, to run against a proxy or the mock (`npm run mock` prints its URL). Unset, they
 * talk to https://api.astronomer.io/v1.
 */
import { createAstroClient } from "../src/index.js"; // in your project: from "astro-api-client"

const astro = createAstroClient({
  baseUrl: process.env.ASTRO_BASE_URL,
});

let count = 0;
// One request per 100 Deployments, made as the loop needs them; only one page is held at a time.
for await (const deployment of astro.paginate("/organizations/{organizationId}/deployments", {
  pageSize: 100,
})) {
  count += 1;
  console.log(`${deployment.name.padEnd(30)} ${deployment.status.padEnd(12)} ${deployment.id}`);
}
console.log(`${count} deployment${count === 1 ? "" : "s"}`);
