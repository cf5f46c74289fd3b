/**
 * `npm run demo`: a short tour of the v1 client against the SDK's own fake of the Astro API,
 * started in this process (scripts/demo/fake-tour.ts): create a workspace and a deployment, wait
 * for it, list it back page by page, deploy DAGs, delete it through a dropped connection, and a
 * rate-limit burst. Needs no token, no network and no OpenAPI document.
 *
 * `npm run demo -- --live`: a read-only look at a real organization (scripts/demo/live-tour.ts),
 * with `ASTRO_API_TOKEN` (and `ASTRO_ORGANIZATION_ID`, else the first organization listed).
 */
import { parseArgs } from "node:util";
import { AstroError } from "../../src/index.js";
import { EXIT, runCli } from "../cli/run-cli.js";
import { fakeTour } from "../demo/fake-tour.js";
import { LIVE_USAGE, liveTour } from "../demo/live-tour.js";

await runCli(
  async () => {
    const { values } = parseArgs({ options: { live: { type: "boolean", default: false } } });
    if (!values.live) {
      await fakeTour();
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
