/**
 * `npm run specs:diff -- OLD NEW [--json]`: the changes between two revisions of one API's
 * document (files or URLs), each classified breaking or not, as a report grouped by operation or
 * as JSON.
 */
import { parseArgs } from "node:util";
import { EXIT, runCli } from "../cli/run-cli.js";
import { diffSources } from "../drift/diff-sources.js";
import { renderJson, renderText } from "../drift/render-report.js";
import { PipelineError } from "../shared/errors.js";

await runCli(async () => {
  const { values, positionals } = parseArgs({
    options: { json: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 2) throw new PipelineError("usage: npm run specs:diff -- OLD NEW [--json]");
  const report = await diffSources(positionals[0]!, positionals[1]!);
  process.stdout.write(values.json ? renderJson(report) : renderText(report));
  return EXIT.ok;
});
