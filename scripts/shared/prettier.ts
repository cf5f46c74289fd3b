import { join } from "node:path";
import * as prettier from "prettier";
import { REPO_ROOT } from "./repo-root.js";

let config: Promise<prettier.Options> | undefined;

/**
 * This project's prettier options, resolved once from the repository the scripts belong to, so
 * what the scripts write is formatted the same wherever it goes (a temporary root in tests) and
 * `prettier --check .` agrees with it.
 */
function projectConfig(): Promise<prettier.Options> {
  config ??= prettier.resolveConfig(join(REPO_ROOT, "package.json")).then((found) => found ?? {});
  return config;
}

/** Formats generated TypeScript. */
export async function formatTypeScript(source: string): Promise<string> {
  // babel-ts formats this generated code byte-for-byte as the typescript parser does (which
  // `prettier --check` uses on .ts files, so any difference would fail `npm test`), in half the time.
  return prettier.format(source, { ...(await projectConfig()), parser: "babel-ts" });
}

/** Formats Markdown (the operations table, the API changelog). */
export async function formatMarkdown(source: string): Promise<string> {
  return prettier.format(source, { ...(await projectConfig()), parser: "markdown" });
}

/** Formats generated JSON (the facts-only documents). */
export async function formatJson(source: string): Promise<string> {
  return prettier.format(source, { ...(await projectConfig()), parser: "json" });
}
