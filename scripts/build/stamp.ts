/**
 * What the last successful `npm run build` was built from, so a test that needs the built package
 * can tell whether `dist/` is the build of the sources as they are now (and skip building it
 * again) without trusting timestamps: a SHA-256 over the build's inputs and one over `dist/`.
 *
 * The stamp lives in `node_modules/.cache/` (never packed); a `dist/` edited or deleted by hand,
 * or any change to an input, makes it stale.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";

/** What the build reads: the sources it bundles, the generated modules, its config and the dependency set. */
const INPUTS = [
  "src",
  "generated",
  "scripts/build/merge-chunks.ts",
  "tsup.config.ts",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];

/** Where the stamp of `root`'s last build is kept. */
export function stampFile(root: string): string {
  return join(root, "node_modules", ".cache", "astro-build", "stamp.json");
}

/** Every file under `path` (a file or a folder), as paths relative to `root` with `/`, sorted. */
async function filesUnder(root: string, path: string): Promise<string[]> {
  const absolute = join(root, path);
  let entries;
  try {
    entries = await readdir(absolute, { withFileTypes: true, recursive: true });
  } catch (error) {
    // A file, or a missing input (hashed as absent below).
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return [path];
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}

/** SHA-256 over the names and contents of the files under `paths` (relative to `root`). */
export async function treeHash(root: string, paths: readonly string[]): Promise<string> {
  const hash = createHash("sha256");
  for (const path of paths)
    for (const file of await filesUnder(root, path)) {
      const bytes = await readFile(join(root, file));
      // Length-prefixed, so no two different trees hash the same stream of bytes.
      hash.update(`${file.length}:${file}:${bytes.length}:`).update(bytes);
    }
  return hash.digest("hex");
}

/** The hash of the build's inputs in `root`. */
export function inputsHash(root: string): Promise<string> {
  return treeHash(root, INPUTS);
}

/** Records that `dist/` is the build of inputs whose hash is `inputs`. */
export async function writeStamp(root: string, inputs: string): Promise<void> {
  const file = stampFile(root);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ inputs, dist: await treeHash(root, ["dist"]) }) + "\n");
}

/** Whether `dist/` is, byte for byte, what the build made from the inputs as they are now. */
export async function distIsFresh(root: string): Promise<boolean> {
  let stamp: { inputs?: unknown; dist?: unknown };
  try {
    stamp = JSON.parse(await readFile(stampFile(root), "utf8")) as typeof stamp;
  } catch {
    return false;
  }
  return stamp.inputs === (await inputsHash(root)) && stamp.dist === (await treeHash(root, ["dist"]));
}
