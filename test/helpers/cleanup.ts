import { afterEach } from "vitest";
import { tempRoot } from "./temp-root.js";

/**
 * Registers an `afterEach` that undoes, newest first, whatever the file's tests deferred: temporary
 * roots, servers.
 */
export function cleanupAfterEach(): { defer(undo: () => Promise<void>): void; newRoot(): Promise<string> } {
  const undo: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (undo.length > 0) await undo.pop()!();
  });
  return {
    defer: (fn) => void undo.push(fn),
    async newRoot() {
      const root = await tempRoot();
      undo.push(root.remove);
      return root.dir;
    },
  };
}
