/**
 * Deploys a folder of DAGs to a Deployment in one call, with a progress bar made from the
 * workflow's events, then waits until the deploy is live: until the Deployment's dagTarballVersion
 * is the version this deploy finalized (FinalizeDeploy's DEPLOYED and a HEALTHY Deployment come
 * sooner, while the old DAGs still run).
 *
 *   ASTRO_API_TOKEN=… ASTRO_ORGANIZATION_ID=… npx tsx examples/deploy-dags.ts <deploymentId> [dags folder]
 *
 * Environment as in list-deployments.ts. The folder defaults to ./dags; the project's
 * .astro/deployignore (the SDK's own ignore file), if any, is honoured, and .git/ is never sent.
 * In a git repository, the commit is sent with the deploy (shown in the Astro UI).
 */
import { AstroDeployError, createAstroClient, type WorkflowEvent } from "../src/index.js"; // in your project: from "astro-api-client"

const [deploymentId, directory = "dags"] = process.argv.slice(2);
if (!deploymentId) {
  console.error("usage: deploy-dags.ts <deploymentId> [dags folder]");
  process.exit(2);
}

const astro = createAstroClient({
  baseUrl: process.env.ASTRO_BASE_URL,
});

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
let lastBar = "";

/** Prints steps and polls as lines, and the upload as a bar of 30 cells redrawn as it grows. */
function progress(event: WorkflowEvent): void {
  if (event.type === "deploy") {
    if (lastBar) process.stdout.write("\n");
    lastBar = "";
    console.log(`${event.step}${event.deployId ? ` (deploy ${event.deployId})` : ""}`);
  } else if (event.type === "upload") {
    const share = event.totalBytes === 0 ? 1 : event.bytesSent / event.totalBytes;
    const cells = Math.round(share * 30);
    const bar = `[${"#".repeat(cells)}${".".repeat(30 - cells)}] ${Math.round(share * 100)}% of ${mb(event.totalBytes)}`;
    if (bar === lastBar) return;
    // On a terminal the bar redraws in place; in a log every state is its own line.
    process.stdout.write(process.stdout.isTTY ? `\r${bar}` : `${bar}\n`);
    lastBar = process.stdout.isTTY ? bar : "";
  } else {
    console.log(`  poll ${event.attempt}: ${event.status ?? event.error ?? "?"}`);
  }
}

try {
  const result = await astro.deployDags(
    { deploymentId, directory, description: "examples/deploy-dags.ts", wait: true },
    { onProgress: progress },
  );
  // With wait, deployDags resolves only once result.live: the Deployment serves this version.
  console.log(`deployed ${result.files} files (${mb(result.bytes)}) as version ${result.dagTarballVersion}`);
} catch (error) {
  if (error instanceof AstroDeployError) {
    // Says which step failed (preflight: refused before anything was created), and whether a
    // deploy object was left unfinalized (deployId).
    console.error(`${error.name} at ${error.step}: ${error.message}`);
    process.exitCode = 1;
  } else throw error;
}
