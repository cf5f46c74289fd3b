import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * Writes every file to a temporary name first and renames only once all are written, so a
 * failure part-way leaves the previous files in place.
 */
export async function writeFilesAtomically(dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const staged: [string, string][] = [];
  try {
    for (const [name, content] of Object.entries(files)) {
      const target = join(dir, name);
      const temp = join(dirname(target), `.${name}.${process.pid}.tmp`);
      await writeFile(temp, content);
      staged.push([temp, target]);
    }
    for (const [temp, target] of staged) await rename(temp, target);
  } catch (error) {
    await Promise.all(staged.map(([temp]) => rm(temp, { force: true })));
    throw error;
  }
}

/** Names of the files whose content on disk differs from `files` (missing files included). */
export async function staleFiles(dir: string, files: Record<string, string>): Promise<string[]> {
  const stale: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const current = await readFile(join(dir, name), "utf8").catch(() => undefined);
    if (current !== content) stale.push(name);
  }
  return stale;
}
