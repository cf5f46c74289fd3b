import { readdir, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { readBytesIfExists, writeFilesAtomically } from "../../src/mock/files.js";

/** The bytes a set of files had, ready to be put back. */
export interface Snapshot {
  /** Puts every recorded file back as it was: rewrites changed ones, removes ones that did not exist. */
  restore(): Promise<void>;
}

async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(dir, e.name));
}

/**
 * Records the bytes (or the absence) of `files` and of every file directly inside `dirs`, all
 * relative to `root`, so a multi-file update can be undone after a failure part-way.
 */
export async function takeSnapshot(
  root: string,
  files: readonly string[],
  dirs: readonly string[],
): Promise<Snapshot> {
  const recorded = new Map<string, Buffer | undefined>();
  for (const file of files) recorded.set(join(root, file), await readBytesIfExists(join(root, file)));
  for (const dir of dirs) {
    for (const file of await filesIn(join(root, dir))) recorded.set(file, await readBytesIfExists(file));
  }
  return {
    async restore() {
      for (const dir of dirs) {
        for (const file of await filesIn(join(root, dir)))
          if (!recorded.has(file)) await rm(file, { force: true });
      }
      for (const [file, bytes] of recorded) {
        const now = await readBytesIfExists(file);
        if (bytes === undefined) await rm(file, { force: true });
        else if (now === undefined || !bytes.equals(now))
          await writeFilesAtomically(dirname(file), { [basename(file)]: bytes });
      }
    },
  };
}
