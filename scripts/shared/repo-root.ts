import { fileURLToPath } from "node:url";

/** The repository this checkout of the scripts belongs to: the default `--root` of every command. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
