import {
  methodNameOf,
  type DocumentName,
  type OperationInfo,
  type SpecInfo,
} from "../../src/operations/manifest.js";
import { PipelineError } from "../shared/errors.js";
import type { ManifestEntry } from "./build-manifest.js";

/** Where the generated manifest imports its types from, relative to `generated/`. */
const MANIFEST_TYPES = "../src/operations/manifest.js";

/** A TSDoc comment from the spec's summary and description (which may contain anything, `*\/` included). */
function tsdoc(entry: ManifestEntry, indent: string): string {
  const text = [
    entry.summary,
    entry.description && entry.description !== entry.summary ? entry.description : undefined,
  ]
    .filter((part): part is string => Boolean(part))
    .join("\n\n")
    .replace(/\*\//g, "*\\/");
  const lines = [
    ...text.split("\n"),
    "",
    `\`${entry.method.toUpperCase()} ${entry.path}\` (${entry.operationId}, ${entry.kind})`,
  ];
  if (entry.deprecated) lines.push("@deprecated");
  return `${indent}/**\n${lines.map((line) => `${indent} *${line ? ` ${line}` : ""}`).join("\n")}\n${indent} */\n`;
}

/** `v1` → `V1`, `platform` → `Platform`: the prefix of a document's type maps. */
function typeName(api: DocumentName): string {
  return api.charAt(0).toUpperCase() + api.slice(1);
}

/** Per-API type maps the client's types are built from: method names (with docs) and paginated paths. */
function renderTypeMaps(api: DocumentName, entries: readonly ManifestEntry[]): string {
  const own = entries.filter((e) => e.api === api);
  const names = new Map<string, string>();
  for (const entry of own) {
    const name = methodNameOf(entry);
    const clash = names.get(name);
    if (clash)
      throw new PipelineError(
        `${api}: operations ${clash} and ${entry.operationId} would both be called ${name}()`,
      );
    names.set(name, entry.operationId);
  }
  const methods = own
    .map((e) => `${tsdoc(e, "  ")}  ${methodNameOf(e)}: ${JSON.stringify(e.operationId)};`)
    .join("\n");
  const paginated = own
    .filter((e) => e.paginated)
    .map((e) => `  ${JSON.stringify(e.path)}: ${JSON.stringify(e.itemsKey)};`)
    .join("\n");
  return `
/** Operation methods of the ${api} API client: method name → operationId. */
export interface ${typeName(api)}OperationIds {
${methods}
}

/** Paginated GET paths of the ${api} API → the response property that holds a page's items. */
export interface ${typeName(api)}Paginated {
${paginated}
}
`;
}

/** The manifest entries of each document, without the descriptions (only the TSDoc uses them). */
function byDocument(
  specs: Record<DocumentName, SpecInfo>,
  entries: readonly ManifestEntry[],
): Record<string, OperationInfo[]> {
  return Object.fromEntries(
    Object.keys(specs).map((api) => [
      api,
      entries.filter((e) => e.api === api).map(({ description: _, ...entry }) => entry),
    ]),
  );
}

/**
 * The TypeScript source of `generated/operations.ts`. The manifest's types are imported from
 * the one module that declares them (and re-exported, so importers of the manifest find them
 * where they always did); this writes only values and the per-API type maps.
 */
export function renderManifest(
  specs: Record<DocumentName, SpecInfo>,
  entries: readonly ManifestEntry[],
): string {
  return `
import type { DocumentName, OperationInfo, SpecInfo } from "${MANIFEST_TYPES}";

export type {
  ApiName,
  DocumentName,
  OperationInfo,
  OperationKind,
  ResponseBody,
  SpecInfo,
} from "${MANIFEST_TYPES}";

/** The pinned revision of each document and its server URL (the SDK's default base URL for it). */
export const specs = ${JSON.stringify(specs)} as const satisfies Record<DocumentName, SpecInfo>;

${Object.entries(byDocument(specs, entries))
  .map(
    ([api, list]) => `
/** Every operation of the ${api} document, sorted by path then method. */
export const ${api}Operations = ${JSON.stringify(list)} as const satisfies readonly OperationInfo[];
`,
  )
  .join("")}
/**
 * Every operation of each pinned document. One constant per document above, so that a bundle of
 * one API's client carries that document's operations only.
 */
export const operationsByDocument = { ${Object.keys(specs)
    .map((api) => `${api}: ${api}Operations`)
    .join(", ")} } as const satisfies Record<DocumentName, readonly OperationInfo[]>;

/** Every operation of the two v1beta1 APIs, platform then iam (as before there was v1). */
export const operations = /* @__PURE__ */ (() => [...platformOperations, ...iamOperations] as const)();
${Object.keys(specs)
  .map((api) => renderTypeMaps(api as DocumentName, entries))
  .join("")}`;
}
