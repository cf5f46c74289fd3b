import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isUrl } from "./revision-source.js";

/** The repository this checkout of the scripts belongs to: the default `--root`. */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The options `specs:check` and `specs:update` share, for `parseArgs`. */
export const DRIFT_OPTIONS = {
  api: { type: "string" },
  from: { type: "string" },
  root: { type: "string", default: REPO_ROOT },
} as const;

/** `--from` as given on the command line: a path is taken from the working directory, a URL as is. */
export function fromArgument(from: string | undefined): string | undefined {
  return from === undefined || isUrl(from) ? from : resolve(from);
}
