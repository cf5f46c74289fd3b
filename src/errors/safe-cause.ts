import { redact } from "./redact.js";
import { MAX_DETAIL_LENGTH, safeLine } from "./server-text.js";

const MAX_CAUSE_DEPTH = 4;

function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

/**
 * A copy of something thrown below the SDK (by fetch, a socket, the caller's token function),
 * fit to hang on an `AstroError` as its `cause`: name, message, code and stack redacted of
 * `secrets` and bounded, down a bounded chain of causes. The original is not kept: it may carry
 * what a server or a callback put in it.
 */
export function safeCause(error: unknown, secrets: readonly string[], depth = 0): Error | undefined {
  if (error === undefined || error === null || depth >= MAX_CAUSE_DEPTH) return undefined;
  try {
    return copyOf(error, secrets, depth);
  } catch {
    // A thrown value whose properties throw when read: say what it was, nothing more.
    return new Error(`a ${typeof error} that could not be read`);
  }
}

function copyOf(error: unknown, secrets: readonly string[], depth: number): Error {
  const source = error instanceof Error ? error : undefined;
  const message = safeLine(redact(source ? source.message : describe(error), secrets), MAX_DETAIL_LENGTH);
  const inner = source ? safeCause((source as { cause?: unknown }).cause, secrets, depth + 1) : undefined;
  const copy = new Error(message, inner ? { cause: inner } : undefined);
  copy.name = safeLine(redact(source?.name ?? "Error", secrets), 100);
  const code = (source as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" || typeof code === "number") {
    (copy as { code?: string }).code = safeLine(redact(String(code), secrets), 100);
  }
  // The frames only: the stack's first lines repeat the unsafe message.
  const frames = (source?.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  copy.stack = [`${copy.name}: ${message}`, ...frames.slice(0, 20).map((line) => redact(line, secrets))].join(
    "\n",
  );
  return copy;
}
