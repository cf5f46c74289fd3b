import type { Direction } from "./schema-usage.js";

export const CHANGE_TYPES = [
  "operation-added",
  "operation-removed",
  "operation-id-changed",
  "deprecated",
  "parameter-added",
  "parameter-removed",
  "parameter-required",
  "parameter-optional",
  "request-body-added",
  "request-body-removed",
  "request-body-required",
  "request-body-optional",
  "response-added",
  "response-removed",
  "media-type-added",
  "media-type-removed",
  "property-added",
  "property-removed",
  "property-required",
  "property-optional",
  "type-changed",
  "format-changed",
  "nullable-changed",
  "enum-value-added",
  "enum-value-removed",
  "enum-added",
  "enum-removed",
  "variant-added",
  "variant-removed",
  "constraint-changed",
  "keyword-changed",
  "schema-added",
  "schema-removed",
  "security-changed",
  "security-scheme-added",
  "security-scheme-removed",
  "security-scheme-changed",
  "security-scheme-renamed",
  "server-added",
  "server-removed",
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** One change between two revisions that matters to someone using the SDK. */
export interface ApiChange {
  type: ChangeType;
  breaking: boolean;
  /**
   * `METHOD /path` for a change to one operation; a JSON pointer (`#/components/schemas/Deployment/properties/status`)
   * for a change to a component schema or to the document as a whole.
   */
  location: string;
  /** A sentence in plain words that stands on its own. */
  message: string;
  /** For a component schema: its name. */
  schema?: string;
  /** For a component schema: `METHOD /path` of every operation that uses it, directly or through other schemas. */
  operations?: string[];
}

/**
 * What a change does to the set of values a schema allows:
 * - `narrows`: fewer values are allowed (a value removed from an enum, a property made required,
 *   a constraint tightened) — breaks callers when the schema is sent in a request;
 * - `widens`: more values may appear (a value added to an enum, a property made optional, `nullable`
 *   added) — breaks code that handles every case of a response;
 * - `both`: breaks either side (a type changed, a property removed);
 * - `neither`: breaks no one (an optional property added).
 */
export type Effect = "narrows" | "widens" | "both" | "neither";

/**
 * The one rule behind every schema classification: narrowing what a request accepts breaks
 * callers, widening what a response may contain breaks code that handles each case exhaustively
 * (a `switch` over a generated string-literal union stops compiling). A schema used on both sides
 * gets both checks.
 */
export function isBreaking(effect: Effect, directions: ReadonlySet<Direction>): boolean {
  switch (effect) {
    case "both":
      return true;
    case "neither":
      return false;
    case "narrows":
      return directions.has("request");
    case "widens":
      return directions.has("response");
  }
}

/** A value as it reads in a message: strings bare, anything else as JSON. */
export function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
