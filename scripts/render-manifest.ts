import type { ManifestEntry } from "./build-manifest.js";
import { methodNameOf } from "../src/method-name.js";
import { PipelineError } from "./errors.js";
import type { ApiName } from "./pins.js";

export interface SpecInfo {
  server: string;
  upstream: string;
  /** The revision's path inside a folder laid out like `../shared/astro-openapi`. */
  file: string;
  revision: string;
  sha256: string;
  title: string;
  version: string;
}

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

function typeName(api: ApiName): string {
  return api === "platform" ? "Platform" : "Iam";
}

/** Per-API type maps the client's types are built from: method names (with docs) and paginated paths. */
function renderTypeMaps(api: ApiName, entries: ManifestEntry[]): string {
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

/**
 * The TypeScript source of `generated/operations.ts`. The interface is declared here, in the
 * generated file, so that `src/` depends on `generated/` and never the other way round.
 */
export function renderManifest(specs: Record<ApiName, SpecInfo>, entries: ManifestEntry[]): string {
  return `
/** The two APIs of Astro. */
export type ApiName = "platform" | "iam";

/**
 * How an operation changes state, which decides whether a failed attempt may be retried:
 * \`read\`, \`update\` and \`delete\` are idempotent; \`create\` is not; an \`action\` says so itself.
 */
export type OperationKind = "read" | "create" | "update" | "delete" | "action";

/** What the runtime knows of one operation, derived from the pinned documents. */
export interface OperationInfo {
  readonly api: ApiName;
  readonly operationId: string;
  /** Lower-case HTTP method. */
  readonly method: "get" | "put" | "post" | "delete" | "patch";
  /** The path template, relative to the API's server URL. */
  readonly path: string;
  readonly kind: OperationKind;
  /** Whether a request that failed ambiguously (5xx, reset, timeout) may be sent again. */
  readonly idempotent: boolean;
  /** Takes \`offset\`/\`limit\` and answers with \`totalCount\`. */
  readonly paginated: boolean;
  /** For paginated operations: the array property that holds a page's items. */
  readonly itemsKey?: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly { readonly name: string; readonly required: boolean; readonly array: boolean }[];
  readonly body: "none" | "optional" | "required";
  /** The declared success status. */
  readonly successStatus: number;
  /** Whether the success response declares a JSON body. */
  readonly jsonResponse: boolean;
  /** Declared error statuses as the spec writes them (\`"404"\`, \`"4XX"\`). */
  readonly errorStatuses: readonly string[];
  readonly summary?: string;
  readonly deprecated?: boolean;
}

/** The pinned revision of each document and the API's server URL. */
export const specs = ${JSON.stringify(specs)} as const;

/** Every operation of both APIs. */
export const operations = ${JSON.stringify(entries.map(({ description: _, ...entry }) => entry))} as const satisfies readonly OperationInfo[];
${renderTypeMaps("platform", entries)}${renderTypeMaps("iam", entries)}`;
}
