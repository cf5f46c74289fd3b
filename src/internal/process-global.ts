/**
 * State every copy of this package in a process shares (the ESM and CJS builds of each entry),
 * kept on `globalThis` under a registered symbol. What is found there is not always this copy's
 * to use: another copy (of another shape) or a test may have put something else under the
 * symbol, its getter may throw, or a sandbox may have frozen `globalThis` (SES's lockdown and
 * harden, `Object.freeze`). Then this copy keeps its own state: it does not share it, but it
 * imports and works (it threw a TypeError at import or at every call).
 */

/** What is under `key`, or `undefined` when reading it throws. */
export function readProcessGlobal(key: symbol): unknown {
  try {
    return (globalThis as Record<symbol, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** Puts `value` under `key`; `false` when `globalThis` does not take it (frozen, read-only, a setter that throws). */
export function writeProcessGlobal(key: symbol, value: unknown): boolean {
  try {
    (globalThis as Record<symbol, unknown>)[key] = value;
    return readProcessGlobal(key) === value;
  } catch {
    return false;
  }
}

/**
 * The value shared under `key` when it is one this copy can use (`usable`); otherwise `make()`'s,
 * shared when nothing was there and `globalThis` takes it. Something else found under the key is
 * left as it is: whoever put it there may still be using it.
 */
export function processGlobal<T>(key: symbol, make: () => T, usable: (value: unknown) => value is T): T {
  const found = readProcessGlobal(key);
  if (usable(found)) return found;
  const made = make();
  if (found === undefined || found === null) writeProcessGlobal(key, made);
  return made;
}

/** `usable` for a shared `Map`. */
export function isMap<K, V>(value: unknown): value is Map<K, V> {
  return value instanceof Map;
}
