import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * The file helpers the mock and the scripts share: reading a file that may be absent, and
 * writing files so that no reader ever sees half of one. node:fs only.
 */

/** A file's bytes, or `undefined` when it does not exist; any other failure is thrown. */
export async function readBytesIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** A file's text, or `undefined` when it does not exist; any other failure is thrown. */
export async function readIfExists(file: string): Promise<string | undefined> {
  return (await readBytesIfExists(file))?.toString("utf8");
}

/**
 * Writes every file (name relative to `dir`) to a temporary name beside it first and renames
 * only once all are written, so a failure part-way leaves the previous files in place and a
 * reader sees either the old or the new bytes of each file, never a mix.
 */
export async function writeFilesAtomically(
  dir: string,
  files: Readonly<Record<string, string | Uint8Array>>,
): Promise<void> {
  const staged: [string, string][] = [];
  try {
    for (const [name, content] of Object.entries(files)) {
      const target = join(dir, name);
      await mkdir(dirname(target), { recursive: true });
      const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
      await writeFile(temp, content);
      staged.push([temp, target]);
    }
    for (const [temp, target] of staged) await rename(temp, target);
  } catch (error) {
    await Promise.all(staged.map(([temp]) => rm(temp, { force: true })));
    throw error;
  }
}
