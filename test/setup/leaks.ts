/**
 * Every test file: what it changes in its worker process, it undoes. Test files share worker
 * processes (vitest.config.ts `isolate: false`), so a listening server, a process listener or a
 * replaced global left by one file would run on into the files after it. The file's last hook
 * fails, naming what was left.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll } from "vitest";

const EVENTS = [
  "exit",
  "beforeExit",
  "SIGINT",
  "SIGTERM",
  "uncaughtException",
  "unhandledRejection",
] as const;
const GLOBALS = [
  "fetch",
  "Request",
  "Response",
  "Headers",
  "setTimeout",
  "clearTimeout",
  "setInterval",
  "setImmediate",
  "Date",
  "performance",
] as const;

/** What a file could leave behind, as comparable values. */
function snapshot(): {
  listeners: Record<string, number>;
  globals: Record<string, unknown>;
  servers: number;
} {
  const listeners: Record<string, number> = {};
  for (const event of EVENTS) listeners[event] = process.listenerCount(event);
  const globals: Record<string, unknown> = {};
  for (const name of GLOBALS) globals[name] = (globalThis as Record<string, unknown>)[name];
  // Fake timers may replace the clock on the same object (vi.spyOn(performance, "now")).
  globals["performance.now"] = performance.now;
  return { listeners, globals, servers: listening() };
}

/** Servers still listening (node:http, net): each holds a TCPServerWrap until it is closed. */
const listening = (): number =>
  process.getActiveResourcesInfo().filter((kind) => kind === "TCPServerWrap").length;

const before = snapshot();

afterAll(async () => {
  // A closed server's handle is released a few ticks after its close callback: allow it a moment.
  for (let waited = 0; listening() > before.servers && waited < 2_000; waited += 10) {
    // node:timers' own setTimeout: a file that left fake timers installed is named, not waited on.
    await sleep(10);
  }
  const after = snapshot();
  const left: string[] = [];
  for (const event of EVENTS) {
    const added = after.listeners[event]! - before.listeners[event]!;
    if (added > 0) left.push(`${added} process "${event}" listener(s)`);
  }
  for (const [name, value] of Object.entries(before.globals)) {
    if (after.globals[name] !== value) left.push(`globalThis.${name} replaced`);
  }
  if (after.servers > before.servers)
    left.push(`${after.servers - before.servers} server(s) still listening`);
  if (left.length > 0) {
    throw new Error(`this file left behind in its worker process: ${left.join(", ")}`);
  }
});
