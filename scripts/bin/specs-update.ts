/**
 * `npm run specs:update [-- --api v1|platform|iam] [--from PATH|URL] [--allow-breaking]`: prints the
 * diff from each pin to the newest revision (the same sources as `specs:check`), then moves the
 * pins, regenerates `generated/` and prepends a dated entry to `API-CHANGELOG.md` — all or
 * nothing. Refuses breaking changes unless `--allow-breaking`; prints the semver bump the package
 * needs. `--root DIR` runs it on another checkout (tests use a temporary copy).
 */
import { parseArgs } from "node:util";
import { DRIFT_OPTIONS, fromArgument } from "../cli/drift-arguments.js";
import { EXIT, runCli } from "../cli/run-cli.js";
import { CHANGELOG_FILE } from "../drift/api-changelog.js";
import { applyUpdate } from "../drift/apply-update.js";
import { detectDrift } from "../drift/detect-drift.js";
import { renderText } from "../drift/render-report.js";
import { selectApis } from "../drift/revision-source.js";
import { readPins } from "../openapi/pins.js";

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      ...DRIFT_OPTIONS,
      "allow-breaking": { type: "boolean", default: false },
    },
  });
  const root = values.root;
  const from = fromArgument(values.from);
  const pins = await readPins(root);
  const drifts = await detectDrift(root, pins, { apis: await selectApis(values.api, from), from });
  for (const { api, pin, newest, report } of drifts) {
    if (report) console.log(renderText(report));
    else console.log(`${api}: the pinned revision ${pin.revision} is already the newest (${newest.source})`);
  }
  const result = await applyUpdate(root, pins, drifts, { allowBreaking: values["allow-breaking"] });
  if (result.updated.length === 0) {
    console.log("nothing to update");
    return EXIT.ok;
  }
  console.log(
    `updated ${result.updated.join(" and ")} in openapi/pins.json, regenerated generated/, ` +
      `and added ${result.updated.length === 1 ? "an entry" : "entries"} to ${CHANGELOG_FILE}`,
  );
  console.log(`semver bump the package needs: ${result.bump}`);
  return EXIT.ok;
});
