import { join } from "node:path";
import { factsFileName, verifiedFacts } from "../../src/mock/facts.js";
import { readIfExists } from "../../src/mock/files.js";
import { DOCUMENT_NAMES, type DocumentName } from "../../src/operations/manifest.js";
import { loadSpec } from "../openapi/load.js";
import type { Pins } from "../openapi/pins.js";
import { formatJson } from "../shared/prettier.js";
import { factsDocument } from "./facts-document.js";
import { OPERATIONS_DOC } from "./render-operations-doc.js";

/** What `generate --check` could and could not verify when the pinned documents were not found. */
export interface PartialCheck {
  /** Files (relative to the root) that differ from what the pins and the facts documents produce. */
  stale: string[];
  /** Files whose content only the pinned documents themselves can confirm. */
  unchecked: string[];
}

/** The pinned documents each generated TypeScript file must say it was generated from. */
const SOURCES: Record<string, readonly DocumentName[]> = {
  "v1.ts": ["v1"],
  "platform.ts": ["platform"],
  "iam.ts": ["iam"],
  "v1-fake-model.ts": ["v1"],
  "v1-operations.ts": ["v1"],
  "platform-operations.ts": ["platform"],
  "iam-operations.ts": ["iam"],
  "specs.ts": DOCUMENT_NAMES,
  "operations.ts": DOCUMENT_NAMES,
};

/** The `<api> revision <name> (sha256 <hash>)` lines of a generated file's header. */
function recordedSources(text: string): string[] {
  const head = text.slice(0, text.indexOf("*/") + 2);
  return [...head.matchAll(/^ \*\s+(\w+ revision \S+ \(sha256 [0-9a-f]{64}\))$/gm)].map((m) => m[1]!);
}

/**
 * `generate --check` where the pinned documents cannot be found (a clone without the corpus, the
 * cache or a network): verifies `generated/` against what the repository itself holds.
 *
 * - each facts-only document records the pinned revision and hash, is valid OpenAPI, and is its
 *   own facts-only form (no prose, formatted as the generator writes it);
 * - every generated TypeScript file's header names exactly the pinned revisions and hashes;
 * - what the generator derives from facts alone (the fake's model) is regenerated from the facts
 *   documents and compared byte for byte (`regenerate` renders it).
 *
 * The types, the manifest and docs/operations.md carry the documents' descriptions and summaries,
 * which only the documents hold: those are listed as unchecked.
 */
export async function checkWithoutDocuments(
  dir: string,
  pins: Pins,
  regenerate: (
    facts: Partial<Record<DocumentName, { source: string; text: string }>>,
  ) => Promise<Record<string, string>>,
): Promise<PartialCheck> {
  const stale = new Set<string>();
  const facts: Partial<Record<DocumentName, { source: string; text: string }>> = {};
  for (const api of DOCUMENT_NAMES) {
    const name = factsFileName(api);
    const file = join(dir, name);
    const text = await readIfExists(file);
    try {
      if (text === undefined || !verifiedFacts({ api, sha256: pins[api].sha256 }, file, text))
        throw new Error("missing or not a facts document");
      const doc = await loadSpec(text, file);
      if ((await formatJson(JSON.stringify(factsDocument(api, doc, pins[api])))) !== text)
        throw new Error("not in the form the generator writes");
      facts[api] = { source: file, text };
    } catch {
      stale.add(`generated/${name}`);
    }
  }
  for (const [name, apis] of Object.entries(SOURCES)) {
    const text = (await readIfExists(join(dir, name))) ?? "";
    const expected = apis.map((api) => `${api} revision ${pins[api].revision} (sha256 ${pins[api].sha256})`);
    if (recordedSources(text).join("\n") !== expected.join("\n")) stale.add(`generated/${name}`);
  }
  const derivable = await regenerate(facts);
  for (const [name, content] of Object.entries(derivable))
    if ((await readIfExists(join(dir, name))) !== content) stale.add(`generated/${name}`);
  const unchecked = [
    ...Object.keys(SOURCES)
      .filter((name) => !(name in derivable))
      .map((name) => `generated/${name}`),
    OPERATIONS_DOC,
  ];
  return { stale: [...stale], unchecked };
}
