/**
 * `npm run specs:diff -- OLD NEW [--json]`: the changes between two revisions of one API's
 * document (files or URLs), each classified breaking or not, as a report grouped by operation or
 * as JSON.
 */
import { parseArgs } from "node:util";
import { runCli } from "./cli.js";
import { diffRevisions } from "./diff-revisions.js";
import { PipelineError } from "./errors.js";
import { renderJson, renderText } from "./render-diff.js";

await runCli(async () => {
  const { values, positionals } = parseArgs({
    options: { json: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 2) throw new PipelineError("usage: npm run specs:diff -- OLD NEW [--json]");
  const report = await diffRevisions(positionals[0]!, positionals[1]!);
  process.stdout.write(values.json ? renderJson(report) : renderText(report));
  return 0;
});
