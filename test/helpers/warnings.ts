/**
 * Process warnings under test: the setup file (test/setup/warnings.ts) records every warning the
 * process emits instead of printing it, and fails the test during which one was emitted unless
 * that test took it here. A test that provokes a warning on purpose asserts it with
 * `takeWarnings`; any other warning is a failure, not a line in the output everyone learns to skip.
 */

/** A warning as `process.on("warning")` hears it. */
export interface RecordedWarning {
  name: string;
  code: string | undefined;
  message: string;
}

const recorded: RecordedWarning[] = [];

/** Adds a warning the process emitted (the setup file's listener). */
export function recordWarning(warning: Error & { code?: unknown }): void {
  recorded.push({
    name: warning.name,
    code: typeof warning.code === "string" ? warning.code : undefined,
    message: warning.message,
  });
}

/** What a warning must match to be taken: its code or its name (`MaxListenersExceededWarning`). */
export type WarningMatch = { code: string } | { name: string };

function matches(warning: RecordedWarning, match: WarningMatch): boolean {
  return "code" in match ? warning.code === match.code : warning.name === match.name;
}

/**
 * Removes and returns the warnings emitted so far that match. Warnings are emitted on the next
 * tick: await something (the call that provoked it, a `setImmediate`) before taking them.
 */
export function takeWarnings(match: WarningMatch): RecordedWarning[] {
  const taken: RecordedWarning[] = [];
  for (let index = recorded.length - 1; index >= 0; index--) {
    if (matches(recorded[index]!, match)) taken.unshift(...recorded.splice(index, 1));
  }
  return taken;
}

/** Removes and returns every warning not taken yet (the setup file, between tests). */
export function takeAllWarnings(): RecordedWarning[] {
  return recorded.splice(0);
}

/** The warnings not taken, as lines for a failure message. */
export function describeWarnings(warnings: readonly RecordedWarning[]): string {
  return warnings.map((w) => `  ${w.name}${w.code ? ` [${w.code}]` : ""}: ${w.message}`).join("\n");
}

/** A warning as Node prints it to a child process's stderr: `(node:PID) [CODE] Name: message`. */
const PRINTED =
  /^\(node:\d+\) (?:\[([A-Z0-9_]+)\] )?(\w+): (.*)\n(?:\(Use `node --trace-[\w-]+ \.\.\.` to show where the warning was created\)\n)?/gm;

/**
 * Splits a child process's stderr into the warnings Node printed there and the rest: a test that
 * spawns a process asserts both (which warnings it expects, and that nothing else was printed).
 */
export function printedWarnings(stderr: string): { warnings: RecordedWarning[]; rest: string } {
  const warnings: RecordedWarning[] = [];
  const rest = stderr.replace(PRINTED, (_, code: string | undefined, name: string, message: string) => {
    warnings.push({ name, code, message });
    return "";
  });
  return { warnings, rest };
}
