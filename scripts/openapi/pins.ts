import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { writeFilesAtomically } from "../../src/mock/files.js";
import { DOCUMENT_NAMES, type DocumentName } from "../../src/operations/manifest.js";

/** One pinned document, as recorded in `openapi/pins.json`. */
export interface Pin {
  /** Where Astronomer publishes the newest document of the pinned version (for v1: of the pinned minor). */
  upstream: string;
  /**
   * For v1: where Astronomer publishes the newest document of the latest minor. `specs:check`
   * reports when it is ahead of the pinned minor; the pin itself follows `upstream`.
   */
  latest?: string;
  /** For v1: the pinned minor, sent as `X-API-Version`; the document's `info.version` must be `v` + it. */
  apiVersion?: string;
  /** The API's server URL (the SDK's default base URL for it). */
  server: string;
  /** The revision name, e.g. `2024-07-31` (the file name in a revision folder). */
  revision: string;
  /** The revision's path inside a folder laid out like `../shared/astro-openapi`. */
  file: string;
  sha256: string;
}

export type Pins = Record<DocumentName, Pin>;

export const PINS_FILE = join("openapi", "pins.json");

export function isDocumentName(value: string): value is DocumentName {
  return (DOCUMENT_NAMES as readonly string[]).includes(value);
}

export async function readPins(root: string): Promise<Pins> {
  return JSON.parse(await readFile(join(root, PINS_FILE), "utf8")) as Pins;
}

export function renderPins(pins: Pins): string {
  return JSON.stringify(pins, null, 2) + "\n";
}

export async function writePins(root: string, pins: Pins): Promise<void> {
  await writeFilesAtomically(join(root, dirname(PINS_FILE)), { [basename(PINS_FILE)]: renderPins(pins) });
}
