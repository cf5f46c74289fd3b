/**
 * How a configuration error shows the value it rejected: primitives as `String()` writes them
 * (`-1`, `NaN`, `abc`, `null`), objects by kind only, since `String()` of an object says
 * `[object Object]` and its contents may be anything the caller passed (a token among them).
 */
export function shownValue(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (typeof value !== "object" || value === null) return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}
