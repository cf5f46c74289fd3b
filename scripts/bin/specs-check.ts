/**
 * `npm run specs:check [-- --api v1|platform|iam] [--from PATH|URL | --offline] [--markdown]`: compares
 * each pin with the newest revision available — `--from`, else `ASTRO_OPENAPI_DIR`'s newest, else
 * the upstream URL; `--offline` takes the newest in `ASTRO_OPENAPI_DIR` or `../shared/astro-openapi`.
 * Exits 1 with the diff when a pin differs from it, 0 when every pin is current. For v1 (whose
 * requests pin the minor by `X-API-Version`) the pin follows its minor (`/spec/v1.0`); when the
 * latest minor (`/spec/v1`, or a newer minor in the folder) is ahead, a notice with the diff is
 * printed, which does not change the exit code. `--markdown` prints the
 * diff as a pull-request body. `--root DIR` runs it on another checkout.
 */
import { parseArgs } from "node:util";
import { DRIFT_OPTIONS, fromArgument } from "../cli/drift-arguments.js";
import { EXIT, runCli } from "../cli/run-cli.js";
import { detectDrift } from "../drift/detect-drift.js";
import { minorAheadNotice } from "../drift/latest-minor.js";
import { renderMarkdown, renderText, reportHeading } from "../drift/render-report.js";
import { offlineFolder, selectApis } from "../drift/revision-source.js";
import { readPins } from "../openapi/pins.js";
import { PipelineError } from "../shared/errors.js";

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      ...DRIFT_OPTIONS,
      offline: { type: "boolean", default: false },
      markdown: { type: "boolean", default: false },
    },
  });
  const root = values.root;
  if (values.offline && values.from !== undefined)
    throw new PipelineError("use --offline or --from, not both");
  const from = values.offline ? await offlineFolder(root) : fromArgument(values.from);
  const drifts = await detectDrift(root, await readPins(root), {
    apis: await selectApis(values.api, from),
    from,
  });
  for (const { api, pin, newest, report, minorAhead } of drifts) {
    if (!report) console.log(`${api}: the pinned revision ${pin.revision} is current (${newest.source})`);
    else if (values.markdown) console.log(renderMarkdown(report, reportHeading(report)));
    else console.log(renderText(report));
    if (minorAhead) {
      // A notice, not drift: requests pin the minor by header, so they are unaffected.
      const notice = minorAheadNotice(minorAhead);
      if (values.markdown) console.log(renderMarkdown(minorAhead.report, `Notice: ${notice}`));
      else console.log(`notice: ${notice}\n${renderText(minorAhead.report)}`);
    }
  }
  const behind = drifts.filter((d) => d.report);
  if (behind.length === 0) return EXIT.ok;
  console.error(
    `${behind.map((d) => d.api).join(" and ")}: the pin differs from the newest revision; ` +
      `run \`npm run specs:update${from ? ` -- --from ${from}` : ""}\` to move the pins and regenerate.`,
  );
  return EXIT.failed;
});
