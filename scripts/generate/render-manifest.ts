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
    .join("\n\n");
  const lines = [
    ...text.split("\n"),
    "",
    // The path comes from the document too: `/a*/b` would end the comment as surely as a summary.
    `\`${entry.method.toUpperCase()} ${entry.path}\` (${entry.operationId}, ${entry.kind})`,
  ];
  if (entry.deprecated) lines.push("@deprecated");
  const body = lines.map((line) => `${indent} *${line ? ` ${line.replace(/\*\//g, "*\\/")}` : ""}`);
  return `${indent}/**\n${body.join("\n")}\n${indent} */\n`;
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

/** What the runtime manifest carries of an entry: `OperationInfo`'s fields, nothing the generator adds. */
function runtimeEntry({
  successStatus: _status,
  errorStatuses: _errors,
  summary: _summary,
  description: _description,
  ...entry
}: ManifestEntry): OperationInfo {
  return entry;
}

/** The module a document's operations are written to, in `generated/`. */
export function operationsFileName(api: DocumentName): string {
  return `${api}-operations.ts`;
}

/** The TypeScript source of `generated/specs.ts`: the pinned revision and server of each document. */
export function renderSpecs(specs: Record<DocumentName, SpecInfo>): string {
  return `
import type { DocumentName, SpecInfo } from "${MANIFEST_TYPES}";

/** The pinned revision of each document and its server URL (the SDK's default base URL for it). */
export const specs = ${JSON.stringify(specs)} as const satisfies Record<DocumentName, SpecInfo>;
`;
}

/** The type TypeScript gives a JSON value `as const`: readonly tuples and objects of literal types. */
function constType(value: unknown): string {
  if (Array.isArray(value)) return `readonly [${value.map(constType).join(", ")}]`;
  if (value !== null && typeof value === "object")
    return `{ ${Object.entries(value)
      .map(([key, item]) => `readonly ${JSON.stringify(key)}: ${constType(item)}`)
      .join("; ")} }`;
  return JSON.stringify(value);
}

/**
 * The TypeScript source of `generated/<api>-operations.ts`: the runtime manifest of one document
 * (one module per document, so that a client of one API loads and bundles that API's only) and
 * the type maps its client's types are built from.
 *
 * The manifest is a JSON text given to `JSON.parse`, typed with the literal type `as const` would
 * give it: an app parses a JSON text faster than the same object literal as code (issue #27:
 * the v1 manifest was the largest part of what the main entry loads), and the objects are the same.
 */
export function renderDocumentOperations(api: DocumentName, entries: readonly ManifestEntry[]): string {
  const text = JSON.stringify(entries.filter((e) => e.api === api).map(runtimeEntry));
  // The type is written from what JSON.parse gives back (a key whose value is undefined is gone),
  // so the declared type and the parsed value cannot differ.
  const parsed: unknown = JSON.parse(text);
  return `
import type { OperationInfo } from "${MANIFEST_TYPES}";

/**
 * The literal type of a manifest, checked as \`as const satisfies\` would: a list of
 * \`OperationInfo\`, with no key \`OperationInfo\` lacks.
 */
type Manifest<
  T extends readonly OperationInfo[] & {
    readonly [I in keyof T]: OperationInfo & Record<Exclude<keyof T[I], keyof OperationInfo>, never>;
  },
> = T;

/** Every operation of the ${api} document, sorted by path then method. */
export const ${api}Operations: Manifest<${constType(parsed)}> = /* @__PURE__ */ JSON.parse(${JSON.stringify(text)});
${renderTypeMaps(api, entries)}`;
}

/**
 * The TypeScript source of `generated/operations.ts`: every document's manifest in one module
 * (for the v1beta1 entry, scripts and tests), re-exported from the per-document modules. The
 * manifest's types are re-exported from the one module that declares them.
 */
export function renderManifest(specs: Record<DocumentName, SpecInfo>): string {
  const apis = Object.keys(specs) as DocumentName[];
  return `
import type { DocumentName, OperationInfo } from "${MANIFEST_TYPES}";
${apis
  .map((api) => `import { ${api}Operations } from "./${operationsFileName(api).replace(/\.ts$/, ".js")}";`)
  .join("\n")}

export type {
  ApiName,
  DocumentName,
  OperationInfo,
  OperationKind,
  ResponseBody,
  SpecInfo,
} from "${MANIFEST_TYPES}";
export { specs } from "./specs.js";
${apis
  .map(
    (api) =>
      `export { ${api}Operations, type ${typeName(api)}OperationIds, type ${typeName(api)}Paginated } from "./${operationsFileName(api).replace(/\.ts$/, ".js")}";`,
  )
  .join("\n")}

/** Every operation of each pinned document (one module per document: generated/<document>-operations.ts). */
export const operationsByDocument = { ${apis
    .map((api) => `${api}: ${api}Operations`)
    .join(", ")} } as const satisfies Record<DocumentName, readonly OperationInfo[]>;

/** Every operation of the two v1beta1 APIs, platform then iam (as before there was v1). */
export const operations = /* @__PURE__ */ (() => [...platformOperations, ...iamOperations] as const)();
`;
}
