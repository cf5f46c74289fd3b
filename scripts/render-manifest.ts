import type { ManifestEntry } from "./build-manifest.js";
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
export const operations = ${JSON.stringify(entries)} as const satisfies readonly OperationInfo[];
`;
}
