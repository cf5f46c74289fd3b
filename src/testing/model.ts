/**
 * What the fake knows of the API it imitates: a digest of one OpenAPI document, produced by the
 * generator (`scripts/generate/fake-model.ts` → `generated/v1-fake-model.ts`) so that the fake
 * reads no document at run time. Import-free on purpose: the generator and the runtime share it.
 */

/** A JSON Schema as the document writes it (OpenAPI 3.0 dialect), references as `#/components/schemas/Name`. */
export type FakeSchema = { readonly [keyword: string]: unknown };

/**
 * How an operation touches the fake's state, decided from the path's shape alone:
 * - `create`: POST to a collection that has item paths (`…/things` beside `…/things/{id}`)
 * - `read` / `update` / `delete`: GET / POST / DELETE on an item path (ends with `{param}`)
 * - `list`: GET on a collection answering a page (`offset`/`limit`/`totalCount`)
 * - `itemAction`: POST to `…/things/{id}/verb` answering the thing itself (finalize, rotate)
 * - `static`: anything else; answered with the sample of its success schema
 */
export type FakeRole = "create" | "read" | "update" | "delete" | "list" | "itemAction" | "static";

export interface FakeParameter {
  readonly name: string;
  readonly in: "path" | "query";
  readonly required: boolean;
  readonly schema: FakeSchema;
}

export interface FakeOperation {
  readonly operationId: string;
  readonly method: "get" | "post" | "delete";
  /** The path template relative to the API's base path, e.g. `/organizations/{organizationId}/workspaces`. */
  readonly path: string;
  readonly role: FakeRole;
  /**
   * The collection template whose records this operation reads or writes (`create`, `list`,
   * `read`, `update`, `delete`: the item path without its last segment; `itemAction`: the
   * collection of the item it acts on).
   */
  readonly collection?: string;
  /** The component schema of that collection's records (its sample is where a new record starts). */
  readonly record?: string;
  readonly params: readonly FakeParameter[];
  readonly requestBody?: { readonly required: boolean; readonly schema: FakeSchema };
  readonly success: {
    readonly status: number;
    /** Absent when the success answer has no body (204). */
    readonly contentType?: string;
    /**
     * The key in `FakeModel.samples` of the answer's shape (for `list`: the page): its
     * component schema (`Deployment`), or the operationId for an inline schema.
     */
    readonly sample?: string;
    /** For `list`: the property of the page holding its items, and the key of an item's sample. */
    readonly itemsKey?: string;
    readonly itemSample?: string;
  };
  /** Request-body properties copied into the stored record: same name, a type the response accepts. */
  readonly copyFields?: readonly string[];
  /** Of those, fields whose record enum is narrower than the request's: the values that are copied. */
  readonly copyEnums?: { readonly [field: string]: readonly string[] };
}

export interface FakeModel {
  /** Where the model came from, for messages and the generated header. */
  readonly document: { readonly title: string; readonly version: string };
  /** Every operation of the document. */
  readonly operations: readonly FakeOperation[];
  /** Component schemas reachable from request bodies and parameters (for validation), trimmed. */
  readonly schemas: { readonly [name: string]: FakeSchema };
  /**
   * A complete, schema-valid value of each response schema the fake answers with (keyed by
   * component schema name, or operationId for inline schemas), built from the document's
   * examples; records start as a copy of it.
   */
  readonly samples: { readonly [name: string]: unknown };
  /** The `status` enum of every component schema that has one: what lifecycles may move through. */
  readonly statusEnums: { readonly [schemaName: string]: readonly string[] };
}
