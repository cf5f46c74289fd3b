import { resolve } from "node:path";
import { isUrl } from "../drift/revision-source.js";
import { REPO_ROOT } from "../shared/repo-root.js";

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
