import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import type { OpenApiDocument } from "../../scripts/openapi/document.js";
import { cacheFile } from "../../src/mock/spec-files.js";
import type { DocumentName } from "../../src/operations/manifest.js";
import { readPins, writePins } from "../../scripts/openapi/pins.js";
import { revisionNamed, revisionText } from "./revisions.js";

/** Everything `specs:update` may write, as bytes: the pins, `generated/` and the changelog (or its absence). */
export interface PinnedState {
  pins: string;
  generated: Record<string, string>;
  changelog: string | undefined;
}

export async function pinnedState(root: string): Promise<PinnedState> {
  const generated: Record<string, string> = {};
  for (const name of (await readdir(join(root, "generated"))).sort())
    generated[name] = await readFile(join(root, "generated", name), "utf8");
  return {
    pins: await readFile(join(root, "openapi", "pins.json"), "utf8"),
    generated,
    changelog: await readFile(join(root, "API-CHANGELOG.md"), "utf8").catch(() => undefined),
  };
}

/** Pins `api` in `root` to the real revision `name`. */
export async function pinAt(root: string, api: DocumentName, name: string): Promise<void> {
  const revision = revisionNamed(api, name);
  const pins = await readPins(root);
  pins[api] = { ...pins[api], revision: name, file: revision.file, sha256: revision.sha256 };
  await writePins(root, pins);
}

/** Puts the real revision `name` into `root`'s download cache, as an earlier download would have. */
export async function cacheRevision(root: string, api: DocumentName, name: string): Promise<void> {
  const revision = revisionNamed(api, name);
  const file = cacheFile(root, api, revision.sha256);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, revisionText(revision));
}

/** The real revision `name` changed by `edit`, as YAML. */
export function editedRevision(
  api: DocumentName,
  name: string,
  edit: (doc: OpenApiDocument) => void,
): string {
  const doc = parse(revisionText(revisionNamed(api, name))) as OpenApiDocument;
  edit(doc);
  return stringify(doc);
}
