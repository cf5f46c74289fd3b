import { stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { writeFilesAtomically } from "../../src/mock/files.js";
import { cacheFile, download, readIfExists, revisionDirs, sha256 } from "../../src/mock/spec-files.js";
import { DOCUMENT_NAMES, type DocumentName } from "../../src/operations/manifest.js";
import type { OpenApiDocument } from "../openapi/document.js";
import { parseSpec } from "../openapi/parse.js";
import { isDocumentName, type Pin } from "../openapi/pins.js";
import { PipelineError } from "../shared/errors.js";
import { indexedRevisions, readIndexedRevision } from "./revision-index.js";

/** A revision of one API's document that could become its pin. */
export interface Revision {
  api: DocumentName;
  /** The name it is pinned under, e.g. `2024-07-31` (the file name without `.yaml`). */
  revision: string;
  /** Its path inside a folder laid out like `../shared/astro-openapi`: the pin's `file`. */
  file: string;
  /** Where it was read from, for messages. */
  source: string;
  text: string;
  sha256: string;
}

export interface SourceOptions {
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** Today as `YYYY-MM-DD` (UTC by default): names a revision downloaded from a URL and dates changelog entries. */
  today?: string;
}

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

/** Reads a document from a file or a URL, failing with a message that names it. */
export async function readDocumentText(source: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  if (isUrl(source)) return download(source, fetchImpl);
  const text = await readIfExists(source);
  if (text === undefined) throw new PipelineError(`${source}: no such file`);
  return text;
}

/** How a revision is named in reports: the file name without `.yaml`, or the URL. */
export function revisionLabel(source: string): string {
  return isUrl(source) ? source : basename(source).replace(/\.(ya?ml|json)$/i, "");
}

/** The API a document belongs to, from its server URL or where it came from; `undefined` when that is unclear. */
export function apiOf(doc: OpenApiDocument, source: string): DocumentName | undefined {
  const places = [...(doc.servers ?? []).map((s) => s.url), source];
  // A whole path segment: `/v1` (v1's server URL ends with it) but not `/v1beta1`.
  const found = DOCUMENT_NAMES.filter((api) =>
    places.some((place) => new RegExp(`(^|[/\\\\])${api}([/\\\\]|$)`).test(place)),
  );
  return found.length === 1 ? found[0] : undefined;
}

/**
 * The APIs a command works on: the one named by `--api`, else the one a single `--from` file
 * belongs to, else both.
 */
export async function selectApis(api: string | undefined, from: string | undefined): Promise<DocumentName[]> {
  if (api !== undefined) {
    if (!isDocumentName(api))
      throw new PipelineError(`--api must be one of ${DOCUMENT_NAMES.join(", ")}, not "${api}"`);
    return [api];
  }
  if (from === undefined || isUrl(from) || (await isDirectory(from))) return [...DOCUMENT_NAMES];
  const inferred = apiOf(parseSpec(await readDocumentText(from), from), from);
  if (!inferred)
    throw new PipelineError(
      `cannot tell which document ${from} describes; pass --api ${DOCUMENT_NAMES.join(" | ")}`,
    );
  return [inferred];
}

/** The first revision folder (`ASTRO_OPENAPI_DIR`, then `../shared/astro-openapi`) that has an `index.json`. */
export async function offlineFolder(root: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  for (const dir of revisionDirs(root, env)) {
    if ((await readIfExists(join(dir, "index.json"))) !== undefined) return dir;
  }
  throw new PipelineError(`no revision folder with an index.json in ${revisionDirs(root, env).join(" or ")}`);
}

/**
 * The newest revision of `api` in a folder laid out like `../shared/astro-openapi`, checked
 * against its index. With `within` (a folder of the layout, e.g. `v1/v1.0`), only revisions in it
 * count: v1's pin follows its minor, and a newer minor is a notice, not the pin's next revision.
 */
export async function newestInFolder(dir: string, api: DocumentName, within?: string): Promise<Revision> {
  const indexFile = join(dir, "index.json");
  const entry = (await indexedRevisions(dir, api))
    .filter((e) => within === undefined || dirname(e.file) === within)
    .at(-1);
  if (!entry)
    throw new PipelineError(`${indexFile} lists no ${api} revision${within ? ` in ${within}` : ""}`);
  const source = join(dir, entry.file);
  const text = await readIndexedRevision(dir, entry.file);
  const actual = sha256(text);
  if (actual !== entry.sha256)
    throw new PipelineError(`${source} has sha256 ${actual}, but ${indexFile} lists ${entry.sha256}`);
  return { api, revision: revisionLabel(entry.file), file: entry.file, source, text, sha256: actual };
}

/**
 * A file name for the pin that no revision folder holds with other content: `resolveSpec` takes
 * the first copy it finds and never looks further, so a name already used by a different
 * document would make the new pin unresolvable. The hash is added to such a name.
 */
async function unusedName(
  root: string,
  file: string,
  hash: string,
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  for (const dir of revisionDirs(root, env)) {
    const existing = await readIfExists(join(dir, file));
    if (existing !== undefined && sha256(existing) !== hash)
      return file.replace(/(\.ya?ml)?$/, `.${hash.slice(0, 12)}.yaml`);
  }
  return file;
}

async function fromText(
  root: string,
  api: DocumentName,
  pin: Pin,
  source: string,
  text: string,
  name: string,
  env?: NodeJS.ProcessEnv,
): Promise<Revision> {
  const hash = sha256(text);
  const file = await unusedName(root, `${dirname(pin.file)}/${name}.yaml`, hash, env);
  return { api, revision: revisionLabel(file), file, source, text, sha256: hash };
}

/**
 * The newest available revision of one API: `from` when given (a file, a folder laid out like
 * `../shared/astro-openapi`, or a URL), else the newest in `ASTRO_OPENAPI_DIR` when that is set,
 * else the document at the pin's upstream URL. A downloaded document is named by the day it was
 * fetched and kept in the download cache, so a later run can diff against it once it is pinned.
 */
export async function newestRevision(
  root: string,
  api: DocumentName,
  pin: Pin,
  from: string | undefined,
  options: SourceOptions = {},
): Promise<Revision> {
  const env = options.env ?? process.env;
  const source = from ?? (env.ASTRO_OPENAPI_DIR ? resolve(root, env.ASTRO_OPENAPI_DIR) : pin.upstream);
  if (isUrl(source)) {
    const text = await download(source, options.fetch ?? fetch);
    const today = options.today ?? new Date().toISOString().slice(0, 10);
    const revision = await fromText(root, api, pin, source, text, today, env);
    await keepInCache(root, revision);
    return revision;
  }
  if (await isDirectory(source)) {
    const newest = await newestInFolder(source, api, dirname(pin.file));
    const file = await unusedName(root, newest.file, newest.sha256, env);
    return { ...newest, file, revision: revisionLabel(file) };
  }
  return fromText(root, api, pin, source, await readDocumentText(source), revisionLabel(source), env);
}

/** Stores a revision in the download cache, where `resolveSpec` finds a pinned document no revision folder has. */
export async function keepInCache(root: string, revision: Revision): Promise<void> {
  const target = cacheFile(root, revision.api, revision.sha256);
  if ((await readIfExists(target)) === revision.text) return;
  await writeFilesAtomically(dirname(target), { [basename(target)]: revision.text });
}

/** Makes a revision resolvable once pinned: it must be in a revision folder under its file name, or in the cache. */
export async function makeResolvable(
  root: string,
  revision: Revision,
  env?: NodeJS.ProcessEnv,
): Promise<void> {
  for (const dir of revisionDirs(root, env)) {
    const text = await readIfExists(join(dir, revision.file));
    if (text !== undefined && sha256(text) === revision.sha256) return;
  }
  await keepInCache(root, revision);
}
