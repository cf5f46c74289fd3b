import { describeValue } from "../errors/describe-value.js";
import type * as NodeFs from "node:fs";
import type * as NodeFsPromises from "node:fs/promises";
import type * as NodePath from "node:path";
import { importPackage, nodeBuiltin } from "../internal/unbundled-import.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { concatBytes, streamChunks } from "./bytes.js";
import { loadOptional, type ModuleLoader } from "./optional-module.js";
import { DEPLOY_IGNORE_FILE, TARBALL_ROOT } from "./constants.js";

/** A tarball ready to upload, held in memory so that a retried PUT sends the same bytes. */
export interface Tarball {
  bytes: Uint8Array;
  contentType: "application/gzip" | "application/x-tar";
  /** Files packed (`undefined` for a tarball given ready-made). */
  files: number | undefined;
}

/** Where the packages come from (replaceable in tests). */
export interface PackLoaders {
  tar: ModuleLoader;
  dockerignore: ModuleLoader;
}

export const defaultLoaders: PackLoaders = {
  tar: () => importPackage("tar"),
  dockerignore: () => importPackage("@balena/dockerignore"),
};

/**
 * The file system and paths, for packing a folder or reading a tarball file: loaded by the call
 * (Node, Bun, Deno), so the core has no Node import and a ready tarball deploys anywhere.
 */
function nodeFiles(feature: string): {
  fs: typeof NodeFs;
  fsp: typeof NodeFsPromises;
  path: typeof NodePath;
} {
  return {
    fs: nodeBuiltin<typeof NodeFs>("node:fs", feature),
    fsp: nodeBuiltin<typeof NodeFsPromises>("node:fs/promises", feature),
    path: nodeBuiltin<typeof NodePath>("node:path", feature),
  };
}

export interface PackOptions {
  /** gzip the tarball (default true). */
  gzip?: boolean;
  /** Allow a folder with no files (its deploy removes every DAG of the Deployment). */
  allowEmpty?: boolean;
  /** The Astro project holding `.astro/deployignore` (default: the folder's parent). */
  projectRoot?: string;
  /**
   * Pack entries under `dags/` (default `true`, as the Astro CLI). `false` packs them at the
   * bundle root, as `astro deploy --dags --no-dags-base-dir` does for Airflow 3, which puts the
   * bundle root on `sys.path`.
   */
  dagsBaseDir?: boolean;
}

type Ignores = (path: string) => boolean;

/** The predicate of `.astro/deployignore`, or undefined when the project has none. */
async function deployIgnore(
  root: string,
  directory: string,
  loaders: PackLoaders,
): Promise<Ignores | undefined> {
  const { fsp, path: paths } = nodeFiles(`honouring ${DEPLOY_IGNORE_FILE}`);
  let text: string;
  try {
    text = await fsp.readFile(paths.join(root, DEPLOY_IGNORE_FILE), "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw new AstroConfigError(
      `cannot read ${paths.join(root, DEPLOY_IGNORE_FILE)}: ${(error as Error).message}`,
    );
  }
  const module = (await loadOptional(
    "@balena/dockerignore",
    "^1",
    `honouring ${DEPLOY_IGNORE_FILE}`,
    loaders.dockerignore,
  )) as {
    default?: unknown;
  };
  const create = (typeof module.default === "function" ? module.default : module) as (options?: object) => {
    add(patterns: string[]): { ignores(path: string): boolean };
  };
  const matcher = create({ ignorecase: false }).add(text.split(/\r?\n/));
  // Patterns are anchored at the project root, so a packed file is matched by its path from there.
  const prefix = paths.relative(root, directory).split(paths.sep).join("/");
  const outside = prefix.startsWith("..");
  return (path) => matcher.ignores(outside || prefix === "" ? path : `${prefix}/${path}`);
}

/** The names in `directory`, sorted (a folder with none packs as `.`, for `allowEmpty`). */
async function rootEntries(directory: string): Promise<string[]> {
  const { fsp } = nodeFiles("deployDags({ directory, dagsBaseDir: false })");
  const names = (await fsp.readdir(directory)).sort();
  return names.length > 0 ? names : ["."];
}

/** Whether a path (relative, `/`-separated) is in a `.git` folder, at any depth. */
function inGit(path: string): boolean {
  return path.split("/").includes(".git");
}

/**
 * Whether the symbolic link at `path` (relative to `directory`) points outside the folder, on disk
 * or in the bundle: unpacked on the Deployment, the link sits under `dags/`, not under the folder's
 * own name, so `../mydags/x` in a folder named `mydags` stays inside here but climbs out of `dags/`
 * there; and a link that leaves either resolves to that machine's files or names a path of this one.
 */
function linksOutside(directory: string, path: string, root: string): boolean {
  const { fs, path: paths } = nodeFiles("deployDags({ directory })");
  let target: string;
  try {
    target = fs.readlinkSync(paths.join(directory, path));
  } catch {
    return true;
  }
  const { posix } = paths;
  if (paths.isAbsolute(target) || posix.isAbsolute(target)) return true;
  const within = paths.relative(
    paths.resolve(directory),
    paths.resolve(directory, paths.dirname(path), target),
  );
  if (within === ".." || within.startsWith(`..${paths.sep}`) || paths.isAbsolute(within)) return true;
  // Where the link lands once unpacked: under `root` (`dags`, or the bundle root with dagsBaseDir: false).
  const unpacked = posix.normalize(posix.join(root, posix.dirname(path), target.split(paths.sep).join("/")));
  return root === "."
    ? unpacked === ".." || unpacked.startsWith("../")
    : unpacked !== root && !unpacked.startsWith(`${root}/`);
}

/**
 * Packs `directory` as a tarball of `dags/…` entries (root entries with `dagsBaseDir: false`),
 * skipping `.git/` (at any depth) and what the project's `.astro/deployignore` excludes. Symbolic
 * links are stored as links, never followed, so a link cannot pull a file from outside the folder
 * into the upload; a link that points outside the folder is refused (exclude it with
 * `.astro/deployignore`).
 */
export async function packDirectory(
  directory: string,
  options: PackOptions,
  loaders: PackLoaders = defaultLoaders,
): Promise<Tarball> {
  if (typeof directory !== "string" || directory === "") {
    throw new AstroConfigError(`directory must be a path to a folder, got ${describeValue(directory)}`);
  }
  const { fsp, path: paths } = nodeFiles("deployDags({ directory })");
  const info = await fsp.stat(directory).catch((error: Error) => {
    throw new AstroConfigError(`cannot read the DAG folder ${directory}: ${error.message}`);
  });
  if (!info.isDirectory()) throw new AstroConfigError(`${directory} is not a folder`);
  const gzip = options.gzip ?? true;
  const ignores = await deployIgnore(options.projectRoot ?? paths.dirname(directory), directory, loaders);
  const tar = (await loadOptional("tar", "^7", "deployDags({ directory })", loaders.tar)) as {
    create(options: object, files: string[]): AsyncIterable<Uint8Array>;
  };

  let files = 0;
  const outsideLinks: string[] = [];
  const chunks: Uint8Array[] = [];
  const stream = tar.create(
    {
      cwd: directory,
      gzip,
      portable: true,
      ...(options.dagsBaseDir === false ? {} : { prefix: TARBALL_ROOT }),
      follow: false,
      filter: (
        path: string,
        entry: { isFile?: () => boolean; isDirectory?: () => boolean; isSymbolicLink?: () => boolean },
      ) => {
        const clean = path.replace(/^\.\//, "");
        if (clean === "." || clean === "") return true;
        if (inGit(clean)) return false;
        // Folders are kept (only files are matched) so that a `!` pattern can bring a file back.
        if (entry.isDirectory?.()) return true;
        if (ignores?.(clean)) return false;
        if (
          entry.isSymbolicLink?.() &&
          linksOutside(directory, clean, options.dagsBaseDir === false ? "." : TARBALL_ROOT)
        ) {
          outsideLinks.push(clean);
          return false;
        }
        if (entry.isFile?.()) files += 1;
        return true;
      },
    },
    // At the root, the folder's own entries are named, so members read `x.py`, not `./x.py`.
    options.dagsBaseDir === false ? await rootEntries(directory) : ["."],
  );
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (error) {
    throw new AstroConfigError(`packing ${directory} failed: ${(error as Error).message}`);
  }
  if (outsideLinks.length > 0) {
    const names = outsideLinks.slice(0, 5).join(", ") + (outsideLinks.length > 5 ? ", …" : "");
    throw new AstroConfigError(
      `${directory} holds symbolic links that point outside it (${names}): unpacked on the Deployment they would point at its files; remove them or list them in ${DEPLOY_IGNORE_FILE}`,
    );
  }
  if (files === 0 && !options.allowEmpty) {
    throw new AstroConfigError(
      `${directory} has no files to deploy: a DAG deploy of it would remove every DAG of the Deployment; pass allowEmpty: true to do that`,
    );
  }
  return {
    bytes: concatBytes(chunks),
    contentType: gzip ? "application/gzip" : "application/x-tar",
    files,
  };
}

/** A stream's bytes are held in memory (every upload attempt resends them): up to this much. */
export const MAX_STREAMED_TARBALL = 2 * 1024 ** 3;

/**
 * A ready tarball: its bytes, a stream of them (a web `ReadableStream`, a Node `Readable`), or a
 * file path (Node, Bun and Deno only). Bytes and streams deploy on every runtime.
 */
export type TarballSource = Uint8Array | string | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      if (!(chunk instanceof Uint8Array))
        throw new AstroConfigError("a tarball stream must yield bytes (Uint8Array or Buffer)");
      size += chunk.length;
      if (size > MAX_STREAMED_TARBALL)
        throw new AstroConfigError(`a tarball stream must be under ${MAX_STREAMED_TARBALL} bytes`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof AstroConfigError) throw error;
    throw new AstroConfigError(
      `reading the tarball stream failed: ${(error as Error)?.message ?? String(error)}`,
    );
  }
  return concatBytes(chunks);
}

/** A tarball given ready-made, checked to be a gzip stream or a tar archive. */
export async function readTarball(tarball: TarballSource): Promise<Tarball> {
  let bytes: Uint8Array;
  if (typeof tarball === "string") {
    const { fsp } = nodeFiles("a tarball given as a file path");
    bytes = await fsp.readFile(tarball).catch((error: Error) => {
      throw new AstroConfigError(`cannot read the tarball ${tarball}: ${error.message}`);
    });
  } else if (tarball instanceof Uint8Array) {
    bytes = tarball;
  } else if (typeof ReadableStream === "function" && tarball instanceof ReadableStream) {
    bytes = await collect(streamChunks(tarball as ReadableStream<Uint8Array>));
  } else if (tarball !== null && typeof tarball === "object" && Symbol.asyncIterator in tarball) {
    bytes = await collect(tarball);
  } else {
    throw new AstroConfigError("tarball must be a Uint8Array (or Buffer), a file path, or a stream of bytes");
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b)
    return { bytes, contentType: "application/gzip", files: undefined };
  const magic = String.fromCharCode(...bytes.subarray(257, 262));
  if (magic === "ustar") return { bytes, contentType: "application/x-tar", files: undefined };
  throw new AstroConfigError("tarball is neither gzip-compressed nor a tar archive (no ustar header)");
}
