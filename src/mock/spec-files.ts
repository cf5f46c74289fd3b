import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { readBounded } from "../transport/bounded-body.js";
import { AstroError } from "../errors/error-classes.js";
import { readIfExists as readFileIfExists, writeFilesAtomically } from "./files.js";

/**
 * Finding a pinned OpenAPI document on disk or upstream, verifying its sha256, and caching a
 * download. Shared by the code generator (`scripts/resolve-spec.ts`) and the mock
 * (`startAstroMock`): node:fs and node:crypto only — nothing here parses YAML.
 */

/** What the lookup needs to know about one pinned document. */
export interface PinnedDocument {
  /** The API's name, for messages and the cache file name. */
  api: string;
  /** The revision's path inside a folder laid out like `../shared/astro-openapi`. */
  file: string;
  sha256: string;
  /** Where the document can be downloaded from. */
  upstream: string;
}

/** A pinned document found and verified. */
export interface LocatedDocument {
  /** The file path or URL it came from, for messages. */
  source: string;
  /** The file on disk holding it (for a download, the cache file it was written to). */
  file: string;
  text: string;
  sha256: string;
}

/** A document could not be read, found or downloaded; the message says what was tried. */
export class SpecFileError extends AstroError {
  override name = "SpecFileError";
}

/** The first copy found does not have the pinned sha256. */
export class SpecHashError extends SpecFileError {
  override name = "SpecHashError";
  constructor(
    /** The document's name: `v1`, `platform` or `iam`. */
    readonly api: string,
    /** The file path or URL the copy came from. */
    readonly source: string,
    /** The pinned sha256 (hex). */
    readonly expected: string,
    /** The copy's sha256 (hex). */
    readonly actual: string,
    /** What the reader can do about it, appended to the message on its own lines. */
    advice?: string,
  ) {
    super(
      `${api}: the document at ${source} has sha256 ${actual}, but the pin is ${expected}` +
        (advice ? `\n${advice}` : ""),
    );
  }
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The folders searched for revisions, in order: `ASTRO_OPENAPI_DIR`, then `../shared/astro-openapi`. */
export function revisionDirs(root: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  if (env.ASTRO_OPENAPI_DIR) dirs.push(resolve(root, env.ASTRO_OPENAPI_DIR));
  dirs.push(resolve(root, "..", "shared", "astro-openapi"));
  return dirs;
}

/** Where a download of `api`'s document with this hash is cached under `root`. */
export function cacheFile(root: string, api: string, hash: string): string {
  return join(root, ".cache", "openapi", `${api}-${hash}.yaml`);
}

/**
 * The largest OpenAPI document read from a folder or downloaded. Astronomer's documents are a
 * few hundred kilobytes; anything past this is not one, and reading it whole (an endless
 * download, a device file) would only exhaust memory.
 */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

/**
 * A document file's text, or `undefined` when it does not exist. A file that cannot be read is a
 * `SpecFileError`, and so is one that is not a regular file or is larger than
 * `MAX_DOCUMENT_BYTES`, before it is read: a FIFO (`documents: { v1: fifo }`, a revision folder's
 * entry) would wait forever, and `/dev/zero` would never end.
 */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (info === undefined) return undefined;
    if (!info.isFile()) throw new Error("not a regular file");
    if (info.size > MAX_DOCUMENT_BYTES)
      throw new Error(`${info.size} bytes, more than any OpenAPI document (${MAX_DOCUMENT_BYTES})`);
    return await readFileIfExists(file);
  } catch (error) {
    throw new SpecFileError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** A response body as text, refused as soon as it is longer than `MAX_DOCUMENT_BYTES`. */
async function boundedText(url: string, response: Response): Promise<string> {
  const tooLarge = (): SpecFileError =>
    new SpecFileError(`cannot download ${url}: the answer is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  if (Number(response.headers.get("content-length")) > MAX_DOCUMENT_BYTES) {
    await response.body?.cancel();
    throw tooLarge();
  }
  // Counted as it arrives: a body without a length (or with a false one) is cut at the bound.
  const { text, cut } = await readBounded(response, MAX_DOCUMENT_BYTES);
  if (cut) throw tooLarge();
  return text;
}

/** Downloads a document, turning every failure into a message that says what was tried. */
export async function download(url: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new SpecFileError(
      `cannot download ${url}: ${(error as Error).message}. ` +
        `Set ASTRO_OPENAPI_DIR to a folder of revisions laid out like ../shared/astro-openapi to work offline.`,
    );
  }
  if (!response.ok)
    throw new SpecFileError(`cannot download ${url}: HTTP ${response.status} ${response.statusText}`);
  try {
    return await boundedText(url, response);
  } catch (error) {
    if (error instanceof SpecFileError) throw error;
    // The body broke off, or the timeout fired while it was arriving.
    throw new SpecFileError(`cannot download ${url}: ${(error as Error).message}`);
  }
}

export interface LocateOptions {
  /** Files that may hold the document, in order; the first that exists is used. */
  candidates: readonly string[];
  /** Where a download is cached (and looked for before downloading). */
  cacheFile: string;
  fetch?: typeof fetch;
  /** What to do about a copy whose hash is not the pinned one, added to the `SpecHashError`'s message. */
  mismatchAdvice?: (source: string) => string;
}

/**
 * Finds a pinned document: the first of `candidates` that exists, then the download cache, then
 * the upstream URL (written to the cache once verified). The first copy found must have the
 * pinned sha256; a mismatch is an error, never a reason to look further.
 */
export async function locatePinnedDocument(
  pin: PinnedDocument,
  options: LocateOptions,
): Promise<LocatedDocument> {
  const verified = (source: string, file: string, text: string): LocatedDocument => {
    const actual = sha256(text);
    if (actual !== pin.sha256)
      throw new SpecHashError(pin.api, source, pin.sha256, actual, options.mismatchAdvice?.(source));
    return { source, file, text, sha256: actual };
  };

  for (const file of [...options.candidates, options.cacheFile]) {
    const text = await readIfExists(file);
    if (text !== undefined) return verified(file, file, text);
  }

  let downloaded: string;
  try {
    downloaded = await download(pin.upstream, options.fetch ?? fetch);
  } catch (error) {
    if (!(error instanceof SpecFileError)) throw error;
    const tried = [...options.candidates, options.cacheFile].map((file) => `\n  ${file}`).join("");
    throw new SpecFileError(`${pin.api}: ${error.message}\nNo copy of ${pin.file} was found in:${tried}`);
  }
  const located = verified(pin.upstream, options.cacheFile, downloaded);
  await writeFilesAtomically(dirname(options.cacheFile), { [basename(options.cacheFile)]: downloaded });
  return located;
}
