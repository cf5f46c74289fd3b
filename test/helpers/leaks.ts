import { inspect } from "node:util";

/**
 * Every string reachable from `value`: own properties (non-enumerable ones too, so `stack` and
 * `cause`), what `toJSON()` returns, array items, and map/set entries — the places a secret could
 * sit in an error, an event or a log line's arguments. Bounded in depth and count, cycle-safe.
 */
export function stringsIn(value: unknown, limit = 100_000): string[] {
  const found: string[] = [];
  const seen = new Set<unknown>();
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0 && found.length < limit) {
    const [current, depth] = stack.pop()!;
    if (typeof current === "string") {
      found.push(current);
      continue;
    }
    if (current === null || (typeof current !== "object" && typeof current !== "function")) continue;
    if (seen.has(current) || depth > 50) continue;
    seen.add(current);
    const toJSON = (current as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") stack.push([toJSON.call(current), depth + 1]);
    if (current instanceof Map || current instanceof Set) {
      for (const entry of current) stack.push([entry, depth + 1]);
    }
    for (const key of Object.getOwnPropertyNames(current)) {
      found.push(key);
      const descriptor = Object.getOwnPropertyDescriptor(current, key);
      if (descriptor && "value" in descriptor) stack.push([descriptor.value, depth + 1]);
    }
  }
  return found;
}

/** Text surfaces of a value as a person would see them: message, stack, JSON, util.inspect. */
export function printed(value: unknown): string[] {
  const error = value as { message?: unknown; stack?: unknown };
  return [
    String(error?.message),
    String(error?.stack),
    JSON.stringify(value) ?? "",
    inspect(value, { depth: 20, showHidden: true }),
  ];
}

/** The places in `value` (as strings or printed) that contain `secret`; empty when none. */
export function leaksOf(value: unknown, secret: string): string[] {
  return [...stringsIn(value), ...printed(value)].filter((text) => text.includes(secret));
}
