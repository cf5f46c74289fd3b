/**
 * Child processes a test started (redis-server, worker processes) are killed if the test process
 * exits before they end. The exit listener is there only while one runs: test files share worker
 * processes (vitest.config.ts `isolate: false`), and each leaves the process as it found it
 * (test/setup/leaks.ts).
 */
import type { ChildProcess } from "node:child_process";

const running = new Set<ChildProcess>();

function killRunning(): void {
  for (const child of running) child.kill("SIGKILL");
}

/** Kills `child` with the test process if it is still running then. */
export function killOnExit(child: ChildProcess): void {
  if (running.size === 0) process.on("exit", killRunning);
  running.add(child);
  const ended = () => {
    if (running.delete(child) && running.size === 0) process.off("exit", killRunning);
  };
  child.once("exit", ended);
  // A child that could not be spawned (ENOENT, EACCES) emits "error" and "close", never "exit".
  // ("close", not "error": listening to "error" would take it from whoever must see it.)
  child.once("close", ended);
}
