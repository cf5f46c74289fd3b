import { realpath } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import { readIfExists } from "../../src/mock/spec-files.js";
import { PipelineError } from "../shared/errors.js";

/** One revision an `index.json` lists: its path inside the folder and its hash. */
export interface IndexEntry {
  file: string;
  sha256: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The revisions `index.json` in `dir` lists for `api`, each checked: a list of entries whose
 * `file` is a relative path that stays inside the folder and whose `sha256` is 64 hex digits.
 * Anything else is a `PipelineError` naming the entry (it was a `TypeError`, or a path that
 * read a file outside the folder).
 */
export async function indexedRevisions(dir: string, api: string): Promise<IndexEntry[]> {
  const indexFile = join(dir, "index.json");
  const raw = await readIfExists(indexFile);
  if (raw === undefined) throw new PipelineError(`${dir} has no index.json listing its revisions`);
  let index: unknown;
  try {
    index = JSON.parse(raw);
  } catch (error) {
    throw new PipelineError(`${indexFile}: ${(error as Error).message}`);
  }
  const revisions = (index as { revisions?: unknown } | null)?.revisions;
  // An own key only: `revisions.constructor` is not a list of revisions.
  const listed: unknown =
    revisions !== null && typeof revisions === "object" && Object.hasOwn(revisions, api)
      ? (revisions as Record<string, unknown>)[api]
      : undefined;
  if (listed === undefined) return [];
  if (!Array.isArray(listed)) throw new PipelineError(`${indexFile}: revisions.${api} must be a list`);
  return listed.map((entry: unknown, i) => {
    const where = `${indexFile}: revisions.${api}[${i}]`;
    const { file, sha256 } = (entry ?? {}) as Partial<Record<keyof IndexEntry, unknown>>;
    if (typeof file !== "string" || file === "")
      throw new PipelineError(`${where}.file must be a path inside ${dir}`);
    // Checked on the text, before anything is opened: no absolute path, no `..` segment.
    if (isAbsolute(file) || file.split(/[\\/]/).includes(".."))
      throw new PipelineError(`${where}.file ${JSON.stringify(file)} leaves the folder ${dir}`);
    if (typeof sha256 !== "string" || !SHA256.test(sha256))
      throw new PipelineError(`${where}.sha256 must be 64 lowercase hex digits`);
    return { file, sha256 };
  });
}

/**
 * The text of an indexed revision, read only when it is inside `dir` once links are followed (a
 * link out of the folder is a `PipelineError`), and as `readIfExists` reads a document: a FIFO, a
 * device or a file past `MAX_DOCUMENT_BYTES` is a `SpecFileError`.
 */
export async function readIndexedRevision(dir: string, file: string): Promise<string> {
  const source = join(dir, file);
  const real = await realpath(source).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT")
      throw new PipelineError(`${source}: no such file (listed in ${dir}/index.json)`);
    throw new PipelineError(`cannot read ${source}: ${error.message}`);
  });
  const inside = relative(await realpath(dir), real);
  if (inside === "" || isAbsolute(inside) || inside === ".." || inside.startsWith(`..${sep}`))
    throw new PipelineError(`${source} is a link to ${real}, outside the folder ${dir}`);
  return (await readIfExists(real)) ?? "";
}
