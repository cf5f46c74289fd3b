/**
 * A ready tarball is read entry by entry before anything is created: unpacked on the Deployment,
 * a member named `../x` or `/etc/x`, or a link pointing out of the bundle, would write or expose
 * files outside the DAG folder.
 */
import { AstroConfigError } from "../errors/error-classes.js";
import { loadOptional, type ModuleLoader } from "./optional-module.js";

interface TarEntry {
  path: string;
  type: string;
  linkpath?: string;
  resume(): void;
}
interface TarParser {
  on(event: "end" | "close", listener: () => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  end(bytes: Uint8Array): void;
}
interface TarModule {
  Parser: new (options: { strict: boolean; onReadEntry: (entry: TarEntry) => void }) => TarParser;
}

/** Why a member's path leaves the bundle, or undefined when it stays in it. */
export function pathEscape(path: string): string | undefined {
  const clean = path.replace(/\\/g, "/");
  if (clean.startsWith("/") || /^[A-Za-z]:/.test(clean)) return "an absolute path";
  if (clean.split("/").includes("..")) return "a `..` segment";
  return undefined;
}

/** Why a link member points out of the bundle (relative to the link's own folder), or undefined. */
export function linkEscape(path: string, target: string, hard: boolean): string | undefined {
  const clean = target.replace(/\\/g, "/");
  if (clean.startsWith("/") || /^[A-Za-z]:/.test(clean)) return "a link to an absolute path";
  // A hard link names a member of the archive; a symbolic link is resolved from its own folder.
  const parts = hard ? [] : path.replace(/\\/g, "/").split("/").slice(0, -1);
  for (const part of clean.split("/")) {
    if (part === "..") {
      if (parts.length === 0) return "a link leaving the bundle";
      parts.pop();
    } else if (part !== "." && part !== "") parts.push(part);
  }
  return undefined;
}

/**
 * Throws `AstroConfigError` naming the first members (up to 5) that would land outside the bundle:
 * absolute paths, `..` segments, and links whose target leaves it.
 */
export async function checkTarballMembers(bytes: Uint8Array, loader: ModuleLoader): Promise<void> {
  const tar = (await loadOptional("tar", "^7", "deployDags({ tarball })", loader)) as TarModule;
  const refused: string[] = [];
  // An archive the parser cannot read to the end (truncated, not tar inside the gzip) is checked as
  // far as it reads: the blob store takes it as it is, and nothing unreadable is unpacked.
  await new Promise<void>((resolve) => {
    const parser = new tar.Parser({
      strict: false,
      onReadEntry: (entry) => {
        const why =
          pathEscape(entry.path) ??
          (entry.type === "SymbolicLink" || entry.type === "Link"
            ? linkEscape(entry.path, entry.linkpath ?? "", entry.type === "Link")
            : undefined);
        if (why) refused.push(`${JSON.stringify(entry.path)} (${why})`);
        entry.resume();
      },
    });
    parser.on("error", () => resolve());
    parser.on("end", () => resolve());
    try {
      // tar's parser is written for Node's Buffer (where tar loads, Buffer exists): a plain
      // Uint8Array of a real archive can keep it from ever ending.
      const NodeBuffer = (
        globalThis as { Buffer?: { from(b: ArrayBuffer, o: number, l: number): Uint8Array } }
      ).Buffer;
      parser.end(
        NodeBuffer ? NodeBuffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength) : bytes,
      );
    } catch {
      resolve();
    }
  });
  if (refused.length > 0) {
    const names = refused.slice(0, 5).join(", ") + (refused.length > 5 ? ", …" : "");
    throw new AstroConfigError(
      `the tarball holds members that would land outside the bundle when unpacked: ${names}; nothing was created`,
    );
  }
}
