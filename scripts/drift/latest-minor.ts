import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { download } from "../../src/mock/spec-files.js";
import type { DocumentName } from "../../src/operations/manifest.js";
import type { OpenApiDocument } from "../openapi/document.js";
import { loadSpec } from "../openapi/load.js";
import type { Pin } from "../openapi/pins.js";
import { diffSpecs } from "./diff-document.js";
import type { DiffReport } from "./render-report.js";
import { isUrl, newestInFolder, revisionLabel, type SourceOptions } from "./revision-source.js";

/**
 * A newer minor version of a document whose requests pin the minor by header (v1): requests keep
 * getting the pinned minor, so this is reported as a notice with what moving to it would change,
 * never as drift of the pin.
 */
export interface MinorAhead {
  api: DocumentName;
  /** The pinned minor, e.g. `1.0`. */
  pinned: string;
  /** The latest minor's `info.version`, e.g. `v1.1`. */
  version: string;
  /** Where the latest minor's document was read from. */
  source: string;
  /** The diff from the pinned document to the latest minor's. */
  report: DiffReport;
}

/** `v1.2` → `[1, 2]`; `undefined` for anything else. */
function minorOf(version: string): [number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)$/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Whether `version` is a later minor of the same major than `pinned` (`v1.1` vs `1.0`). */
export function isLaterMinor(version: string, pinned: string): boolean {
  const now = minorOf(version);
  const was = minorOf(pinned);
  return now !== undefined && was !== undefined && now[0] === was[0] && now[1] > was[1];
}

/**
 * Where the latest minor is read from: with `from` a folder, its newest revision of the document
 * in any minor; with `from` a single file or URL, nowhere (it names one document, which is
 * compared with the pin as usual); else `ASTRO_OPENAPI_DIR`'s newest, else the pin's `latest` URL.
 */
async function latestSource(
  root: string,
  api: DocumentName,
  pin: Pin,
  from: string | undefined,
  options: SourceOptions,
): Promise<{ source: string; text: string } | undefined> {
  const env = options.env ?? process.env;
  const folder = from ?? (env.ASTRO_OPENAPI_DIR ? resolve(root, env.ASTRO_OPENAPI_DIR) : undefined);
  if (folder !== undefined) {
    if (isUrl(folder) || !(await stat(folder).catch(() => undefined))?.isDirectory()) return undefined;
    const newest = await newestInFolder(folder, api);
    return { source: newest.source, text: newest.text };
  }
  if (pin.latest === undefined) return undefined;
  return { source: pin.latest, text: await download(pin.latest, options.fetch ?? fetch) };
}

/**
 * For a pin with an `apiVersion`: the latest minor's document when it is a later minor than the
 * pinned one, diffed against the pinned document; `undefined` when it is not ahead (or the pin
 * has no minor).
 */
export async function minorAhead(
  root: string,
  api: DocumentName,
  pin: Pin,
  pinned: () => Promise<OpenApiDocument>,
  from: string | undefined,
  options: SourceOptions,
): Promise<MinorAhead | undefined> {
  if (pin.apiVersion === undefined) return undefined;
  const latest = await latestSource(root, api, pin, from, options);
  if (latest === undefined) return undefined;
  const doc = await loadSpec(latest.text, latest.source);
  if (!isLaterMinor(doc.info.version, pin.apiVersion)) return undefined;
  const before = await pinned();
  return {
    api,
    pinned: pin.apiVersion,
    version: doc.info.version,
    source: latest.source,
    report: {
      api,
      from: `${pin.revision} (v${pin.apiVersion})`,
      to: `${revisionLabel(latest.source)} (${doc.info.version})`,
      diff: diffSpecs(before, doc),
    },
  };
}

/** One sentence for people: which minor is ahead, why nothing breaks, and how to move. */
export function minorAheadNotice(ahead: MinorAhead): string {
  return (
    `${ahead.api}: the latest minor ${ahead.version} (${ahead.source}) is ahead of the pinned minor ` +
    `${ahead.pinned}. Requests send X-API-Version: ${ahead.pinned}, so they are unaffected; to move, ` +
    `point the ${ahead.api} pin's upstream and apiVersion in openapi/pins.json at the new minor and run ` +
    `npm run specs:update. What moving would change:`
  );
}
