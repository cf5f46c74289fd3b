import { join } from "node:path";
import { readIfExists } from "../../src/mock/files.js";

/** Names of the files whose content on disk differs from `files` (missing files included). */
export async function staleFiles(dir: string, files: Readonly<Record<string, string>>): Promise<string[]> {
  const stale: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    if ((await readIfExists(join(dir, name))) !== content) stale.push(name);
  }
  return stale;
}
