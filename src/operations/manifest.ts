/**
 * The shape of the operation manifest (`generated/<document>-operations.ts`, gathered in
 * `generated/operations.ts`) and the rule that names an
 * operation's method, declared once for the three places that need them: the generator
 * (scripts/generate/), the generated manifest (which re-exports these types) and the runtime.
 *
 * Free of imports on purpose: the generator loads this module without loading its own output,
 * and the generated file can import it without creating a cycle.
 */

/**
 * The pinned documents, in the order everything lists them: `v1`, the generally available Astro
 * API (one base URL, minor version chosen per request by header), then the two v1beta1 APIs it
 * replaces, supported until January 2027.
 */
export const DOCUMENT_NAMES = ["v1", "platform", "iam"] as const;
/** One of the pinned API documents: `"v1"`, `"platform"` or `"iam"`. */
export type DocumentName = (typeof DOCUMENT_NAMES)[number];

/** The two v1beta1 APIs of Astro (Platform and IAM), in the order everything lists them. */
export const API_NAMES = ["platform", "iam"] as const satisfies readonly DocumentName[];
/** One of the two v1beta1 APIs: `"platform"` or `"iam"`. */
export type ApiName = (typeof API_NAMES)[number];

/**
 * What the success response of an operation carries: a JSON body, bytes to hand over untouched
 * (e.g. `GetOrganizationAuditLogs`, `application/octet-stream`), or nothing.
 */
export type ResponseBody = "json" | "binary" | "empty";

/**
 * How an operation changes state, which decides whether a failed attempt may be retried:
 * `read`, `update` and `delete` are idempotent; `create` is not; an `action` says so itself.
 */
export type OperationKind = "read" | "create" | "update" | "delete" | "action";

/** Every kind, in the order the operations table lists them. */
export const OPERATION_KINDS = [
  "read",
  "create",
  "update",
  "delete",
  "action",
] as const satisfies readonly OperationKind[];

/**
 * What the runtime knows of one operation, derived from the pinned documents: only what a call
 * reads (each field is carried by every app that bundles the client). What only the docs and
 * tests read — declared statuses, summaries — stays with the generator (`ManifestEntry`).
 */
export interface OperationInfo {
  /** The document the operation belongs to (named `api` from when there were only two). */
  readonly api: DocumentName;
  /** The operation's `operationId` in the document (its method is named after it). */
  readonly operationId: string;
  /** Lower-case HTTP method. */
  readonly method: "get" | "put" | "post" | "delete" | "patch";
  /** The path template, relative to the API's server URL. */
  readonly path: string;
  /** How the operation changes state; decides `idempotent` unless the document says otherwise. */
  readonly kind: OperationKind;
  /** Whether a request that failed ambiguously (5xx, reset, timeout) may be sent again. */
  readonly idempotent: boolean;
  /** Takes `offset`/`limit` and answers with `totalCount`. */
  readonly paginated: boolean;
  /** For paginated operations: the array property that holds a page's items. */
  readonly itemsKey?: string;
  /** Names of the path template's parameters, in the order they appear. */
  readonly pathParams: readonly string[];
  /** The query parameters the operation declares. */
  readonly queryParams: readonly {
    /** The parameter's name in the query string. */
    readonly name: string;
    /** Whether the document requires it. */
    readonly required: boolean;
    /** Whether it takes several values (sent as repeated `name=value` pairs). */
    readonly array: boolean;
  }[];
  /** Whether the operation takes a JSON request body, and whether it must. */
  readonly body: "none" | "optional" | "required";
  /** Whether the success response declares a JSON body. */
  readonly jsonResponse: boolean;
  /** What the success response carries; `binary` bodies must reach the caller as bytes. */
  readonly responseBody: ResponseBody;
  /** Set when the document marks the operation deprecated. */
  readonly deprecated?: boolean;
}

/** The pinned document of one API, as the manifest's `specs` records it. */
export interface SpecInfo {
  /** The API's server URL (the SDK's default base URL for it). */
  readonly server: string;
  /** Where Astronomer publishes the newest document of the pinned version. */
  readonly upstream: string;
  /**
   * For a document whose minor version is chosen per request (v1): the pinned minor, sent as the
   * `X-API-Version` header so that responses match the generated types, e.g. `"1.0"`.
   */
  readonly apiVersion?: string;
  /** The revision's path inside a folder laid out like `../shared/astro-openapi`. */
  readonly file: string;
  readonly revision: string;
  readonly sha256: string;
  readonly title: string;
  readonly version: string;
}

/**
 * `ListDeployments` → `listDeployments`: the name of an operation's method on its API client.
 */
export function methodNameOf(operation: { readonly operationId: string }): string {
  return operation.operationId.charAt(0).toLowerCase() + operation.operationId.slice(1);
}
