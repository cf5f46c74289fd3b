import type { ChildProcess } from "node:child_process";

/**
 * How a child process ended, as one number: its exit code; 128 when a signal ended it; 127 when it
 * could not be started (Node then emits "error", and "close" after it).
 */
export function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once("error", () => resolve(127));
    child.once("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
