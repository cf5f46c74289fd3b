/**
 * `npm run generate [-- --check]`: regenerate `generated/` from the pinned documents, or check
 * that it is current (exit 1, naming the stale files, when it is not). Without the pinned
 * documents (and never downloading them), `--check` verifies what it can and names what it could not. `--root DIR` runs it on
 * another checkout (tests use a temporary copy).
 */
import { parseArgs } from "node:util";
import { EXIT, runCli } from "../cli/run-cli.js";
import { REPO_ROOT } from "../shared/repo-root.js";

await runCli(async () => {
  const { values } = parseArgs({
    options: { check: { type: "boolean", default: false }, root: { type: "string", default: REPO_ROOT } },
  });
  // Loaded after the arguments are read: a usage error answers without loading the generator.
  const { generate } = await import("../generate/generate.js");
  const started = performance.now();
  // CPU time as well as wall time: on a shared machine the wall clock measures the neighbours.
  const cpuStarted = process.cpuUsage();
  const loadMs = new Map<string, number>();
  const result = await generate(values.root, {
    check: values.check,
    onLoaded: (api, ms) => loadMs.set(api, ms),
  });
  for (const s of result.summaries) {
    console.log(
      `${s.api.padEnd(8)} ${s.revision}  ${String(s.operations).padStart(3)} operations  ` +
        `${String(s.schemas).padStart(3)} schemas  ${String((loadMs.get(s.api) ?? 0) + s.ms).padStart(5)} ms`,
    );
  }
  const cpu = process.cpuUsage(cpuStarted);
  const total = `${Math.round(performance.now() - started)} ms, ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU`;
  if (values.check) {
    if (result.unchecked) {
      console.log(
        `The pinned documents were not found, so generated/ was checked against the pins and the ` +
          `facts-only documents only:\n${result.unchecked.reason}\n` +
          `Not checked (only the documents can confirm them): ${result.unchecked.files.join(", ")}.\n` +
          `For the full check, clone the revisions beside this repository as ../shared/astro-openapi, ` +
          `or set ASTRO_OPENAPI_DIR to a folder laid out like it.`,
      );
    }
    if (result.stale.length > 0) {
      console.error(
        `stale: ${result.stale.join(", ")} differ from what the pinned ` +
          `documents produce. Run \`npm run generate\` and commit the result.`,
      );
      return EXIT.failed;
    }
    console.log(
      result.unchecked
        ? `generated/ is consistent with the pins and the facts documents (${total})`
        : `generated/ and docs/operations.md are current (${total})`,
    );
  } else {
    console.log(
      `wrote ${Object.keys(result.files).length} files to generated/ and docs/operations.md (${total})`,
    );
  }
  return EXIT.ok;
});
