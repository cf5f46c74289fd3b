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

/** How many formatted texts {@link format} keeps: a whole generation's worth, several times over. */
const REMEMBERED = 32;
const formatted = new Map<string, Promise<string>>();

/**
 * `prettier.format` with this project's options, remembering the last results: formatting is most
 * of a generation's CPU, and a process that generates again from mostly the same documents (the
 * test suites run the generator dozens of times; `specs:update` generates, then checks) gets the
 * same text for the same source. A failure is not remembered.
 */
function format(source: string, parser: "babel-ts" | "markdown" | "json"): Promise<string> {
  const key = `${parser}\0${source}`;
  let result = formatted.get(key);
  if (result === undefined) {
    result = projectConfig().then((options) => prettier.format(source, { ...options, parser }));
    result.catch(() => formatted.delete(key));
    if (formatted.size >= REMEMBERED) formatted.delete(formatted.keys().next().value!);
  } else formatted.delete(key); // re-inserted below, as the most recently used
  formatted.set(key, result);
  return result;
}

/** Formats generated TypeScript. */
export function formatTypeScript(source: string): Promise<string> {
  // babel-ts formats this generated code byte-for-byte as the typescript parser does (which
  // `prettier --check` uses on .ts files, so any difference would fail `npm test`), in half the time.
  return format(source, "babel-ts");
}

/** Formats Markdown (the operations table, the API changelog). */
export function formatMarkdown(source: string): Promise<string> {
  return format(source, "markdown");
}

/** Formats generated JSON (the facts-only documents). */
export function formatJson(source: string): Promise<string> {
  return format(source, "json");
}
