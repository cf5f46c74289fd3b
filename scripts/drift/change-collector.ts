import type { OpenApiDocument } from "../openapi/document.js";
import type { ApiChange, ChangeType } from "./api-change.js";
import type { SchemaScope } from "./compare-schemas.js";
import type { Direction } from "./schema-usage.js";

/** The two revisions being compared, and the changes found so far. */
export class Collector {
  readonly changes: ApiChange[] = [];
  constructor(
    readonly before: OpenApiDocument,
    readonly after: OpenApiDocument,
  ) {}

  add(type: ChangeType, breaking: boolean, location: string, message: string): void {
    this.changes.push({ type, breaking, location, message });
  }

  /** A scope for a schema written inline in an operation. */
  inline(operation: string, root: string, directions: ReadonlySet<Direction>): SchemaScope {
    return {
      before: this.before,
      after: this.after,
      directions,
      operation,
      pointer: "",
      root,
      path: "",
      comparing: new Set(),
      out: this.changes,
    };
  }
}
