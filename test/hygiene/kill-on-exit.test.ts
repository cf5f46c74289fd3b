/**
 * `killOnExit` (test/helpers/kill-on-exit.ts) holds a process "exit" listener only while a child it
 * was given runs: test files share worker processes, and test/setup/leaks.ts fails a file that
 * leaves a listener behind.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { expect, it } from "vitest";
import { killOnExit } from "../helpers/kill-on-exit.js";

const exitListeners = () => process.listenerCount("exit");

it("adds one listener while children run, and removes it when the last one has ended", async () => {
  const before = exitListeners();
  const children = [0, 1].map(() => spawn(process.execPath, ["-e", "setTimeout(() => {}, 100)"]));
  const ended = children.map((child) => once(child, "close"));
  for (const child of children) killOnExit(child);
  expect(exitListeners()).toBe(before + 1);
  await Promise.all(ended);
  expect(exitListeners()).toBe(before);
});

it("removes it for a child that never started (spawn emits error and close, never exit)", async () => {
  const before = exitListeners();
  const child = spawn("/nonexistent/astro-test-binary");
  // Not events.once(child, "close"): it rejects at the "error" that comes first.
  const failed = Promise.all([once(child, "error"), new Promise((resolve) => child.once("close", resolve))]);
  killOnExit(child);
  expect(exitListeners()).toBe(before + 1);
  await failed;
  expect(exitListeners()).toBe(before);
});
