/**
 * Waits until a Deployment is ready (HEALTHY or HIBERNATING), printing each poll, and exits with
 * a code a CI step can branch on: 0 ready, 1 failed, 2 timed out.
 *
 *   ASTRO_API_TOKEN=… ASTRO_ORGANIZATION_ID=… npx tsx examples/wait-until-ready.ts <deploymentId> [max minutes]
 *
 * Environment as in list-deployments.ts.
 */
import { AstroWaiterError, createAstroClient } from "../src/index.js"; // in your project: from "astro-api-client"

const [deploymentId, minutes = "20"] = process.argv.slice(2);
if (!deploymentId) {
  console.error("usage: wait-until-ready.ts <deploymentId> [max minutes]");
  process.exit(2);
}

const astro = createAstroClient({
  baseUrl: process.env.ASTRO_BASE_URL,
});

try {
  const deployment = await astro.waitUntilDeploymentReady(
    { deploymentId },
    {
      maxWaitMs: Number(minutes) * 60_000,
      // Short pauses for a demo; the defaults (5 s growing to 30 s) suit a real Deployment.
      minDelayMs: Number(process.env.POLL_MIN_MS ?? 5_000),
      maxDelayMs: Number(process.env.POLL_MAX_MS ?? 30_000),
      onProgress: (event) => {
        if (event.type === "waiter") console.log(`poll ${event.attempt}: ${event.status ?? event.error}`);
      },
    },
  );
  console.log(`${deployment.name} is ${deployment.status}`);
} catch (error) {
  if (!(error instanceof AstroWaiterError)) throw error;
  // reason says what happened; lastStatus and cause say why.
  console.error(`${error.reason}: ${error.message}`);
  process.exitCode = error.reason === "timeout" ? 2 : 1;
}
