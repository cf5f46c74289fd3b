import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
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

/** The parsers the generated files are formatted with. */
type Parser = "babel-ts" | "markdown" | "json";

/** How many formatted texts {@link format} keeps: a whole generation's worth, several times over. */
const REMEMBERED = 32;
const formatted = new Map<string, Promise<string>>();

/**
 * Where formatted texts are kept between processes: under node_modules (never committed or packed;
 * a fresh clone starts empty). Each file is named by the hash of everything the result depends on
 * (prettier's version, the options, the parser, the source), so a hit is what prettier would print.
 */
export const FORMAT_CACHE_DIR = join(REPO_ROOT, "node_modules", ".cache", "astro-prettier");

/**
 * Entries kept on disk: a generation writes about a dozen, and the suite generates from a few
 * revisions; the least recently used go once a process finds more.
 */
const KEPT_ON_DISK = 256;
let pruned: Promise<void> | undefined;

/** Removes the least recently used entries over KEPT_ON_DISK (once a process). */
async function prune(): Promise<void> {
  const names = await readdir(FORMAT_CACHE_DIR).catch(() => [] as string[]);
  if (names.length <= KEPT_ON_DISK) return;
  const dated = await Promise.all(
    names.map(async (name) => ({
      name,
      at: (await stat(join(FORMAT_CACHE_DIR, name)).catch(() => undefined))?.mtimeMs ?? 0,
    })),
  );
  dated.sort((a, b) => b.at - a.at);
  await Promise.all(
    dated.slice(KEPT_ON_DISK).map(({ name }) => rm(join(FORMAT_CACHE_DIR, name), { force: true })),
  );
}

async function formatOnDisk(source: string, parser: Parser): Promise<string> {
  const options = { ...(await projectConfig()), parser };
  const key = createHash("sha256")
    .update(JSON.stringify([prettier.version, options]))
    .update("\0")
    .update(source)
    .digest("hex");
  const file = join(FORMAT_CACHE_DIR, key);
  pruned ??= prune().catch(() => undefined);
  const kept = await readFile(file, "utf8").catch(() => undefined);
  if (kept !== undefined) {
    // Marked as used now, so that pruning keeps what is read over what was written once.
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
    return kept;
  }
  const result = await prettier.format(source, options);
  // Written under a name of its own, then renamed: a process reading the key never sees half a text.
  // A cache that cannot be written (a read-only node_modules) only means formatting again next time.
  const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await mkdir(FORMAT_CACHE_DIR, { recursive: true })
    .then(() => writeFile(partial, result))
    .then(() => rename(partial, file))
    .catch(() => undefined);
  return result;
}

/**
 * `prettier.format` with this project's options, remembering results in the process and on disk:
 * formatting is most of a generation's CPU, and the generator runs again and again on the same
 * documents (`npm test` runs it a dozen times, in and out of process; `specs:update` generates,
 * then checks), which gives the same text for the same source. A failure is not remembered.
 */
function format(source: string, parser: Parser): Promise<string> {
  const key = `${parser}\0${source}`;
  let result = formatted.get(key);
  if (result === undefined) {
    result = formatOnDisk(source, parser);
    result.catch(() => formatted.delete(key));
    if (formatted.size >= REMEMBERED) formatted.delete(formatted.keys().next().value!);
  } else formatted.delete(key); // re-inserted below, as the most recently used
  formatted.set(key, result);
  return result;
}

/** Formats generated TypeScript. */
export function formatTypeScript(source: string): Promise<string> {
  // babel-ts formats this generated code byte-for-byte as the typescript parser does (which
  // `prettier --write` would use on .ts files), in half the time.
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
