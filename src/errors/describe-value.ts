import { safeLine } from "./server-text.js";

/**
 * A caller's value as a message shows it: a string quoted, one printable line of at most `max`
 * characters; a number, boolean, null or undefined as written; anything else by its kind.
 * Never throws (`JSON.stringify` does on a BigInt or a cyclic object, which would turn an
 * `AstroConfigError` into a `TypeError`).
 */
export function describeValue(value: unknown, max = 100): string {
  if (typeof value === "string") return JSON.stringify(safeLine(value, max));
  if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean")
    return String(value);
  if (typeof value === "bigint") return "a bigint";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
