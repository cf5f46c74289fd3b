/**
 * Every test file: process warnings are recorded (test/helpers/warnings.ts), not printed, and a
 * test during which a warning was emitted that it did not take fails, naming it. Warnings emitted
 * outside a test (while the file loads, in hooks) fail the file's last hook.
 */
import { afterAll, afterEach } from "vitest";
import { describeWarnings, recordWarning, takeAllWarnings } from "../helpers/warnings.js";

// Node's own listener prints each warning to stderr; ours records it instead. Listeners a test
// adds still hear every warning.
for (const listener of process.listeners("warning")) process.off("warning", listener);
process.on("warning", recordWarning);

/*
 * The v1beta1 entry warns once per process that the API is deprecated, at its first client. Tests
 * that use the v1beta1 client for something else would each provoke it: it counts as given here.
 * test/v1beta1/entry.test.ts asserts the warning itself, in child processes.
 */
(globalThis as Record<symbol, unknown>)[Symbol.for("astro-api-client.v1beta1-deprecation-warned")] = true;

/** Lets a warning emitted in the last tick reach the listener before it is checked. */
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

function failOnStray(where: string): void {
  const stray = takeAllWarnings();
  if (stray.length > 0) {
    throw new Error(
      `${where} emitted ${stray.length} warning(s) it did not take (test/helpers/warnings.ts takeWarnings):\n` +
        describeWarnings(stray),
    );
  }
}

afterEach(async () => {
  await nextTick();
  failOnStray("this test");
});

afterAll(async () => {
  await nextTick();
  failOnStray("this file's hooks");
});
