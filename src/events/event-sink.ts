import { redact } from "../errors/redact.js";
import { tokenSecrets } from "../transport/token.js";
import { callHook } from "./call-hook.js";
import { emitProcessWarning } from "./process-warning.js";
import { MAX_DETAIL_LENGTH, safeLine } from "../errors/server-text.js";
import { describeWorkflowEvent } from "../workflows/events.js";
import type { AstroEvent, AstroLogger } from "./astro-event.js";

/** Reports an event; `token` is the one the call uses, redacted from any report of a failing hook. */
export type EventSink = (event: AstroEvent, token?: string) => void;

function describe(event: AstroEvent): string {
  if (event.type === "waiter" || event.type === "deploy" || event.type === "upload")
    return describeWorkflowEvent(event);
  const call = `${event.method} ${event.path}`;
  switch (event.type) {
    case "throttle":
      return `astro: ${call} waited ${event.waitedMs} ms for ${event.methodClass.toUpperCase()} budget`;
    case "request":
      return `astro: ${call} attempt ${event.attempt}`;
    case "response":
      return `astro: ${call} → ${event.status} in ${event.durationMs} ms`;
    case "retry":
      return `astro: ${call} retrying in ${event.delayMs} ms (${event.reason})`;
    case "error":
      return `astro: ${call} failed: ${event.message}`;
  }
}

/** Says once, through `process.emitWarning` (or `console.warn`), that a hook failed. */
function warnOnce(): (hook: string, error: unknown, tokens: (string | undefined)[]) => void {
  const warned = new Set<string>();
  return (hook, error, tokens) => {
    if (warned.has(hook)) return;
    warned.add(hook);
    let what: string;
    try {
      what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    } catch {
      what = typeof error;
    }
    for (const token of tokens) if (token) what = redact(what, tokenSecrets(token));
    const message = safeLine(
      `astro-api-client: ${hook} threw ${what}; ` +
        `the call went on, and later failures of this hook are not reported`,
      MAX_DETAIL_LENGTH,
    );
    emitProcessWarning(message, { code: "ASTRO_HOOK_FAILED" });
  };
}

/**
 * Sends events to the hook and the logger: retries at `warn`, everything else at `debug`.
 * Observability never changes an outcome: a hook or logger that throws (or returns a promise that
 * rejects) is reported once and otherwise ignored, and a returned promise is never awaited.
 * `undefined` when there is nowhere to send events, so calls skip building them.
 *
 * An event sent without its call's token (a workflow's: waiter polls, deploy steps) still has a
 * failing hook's report redacted: of `staticToken` (the client's token when it is a constant) and
 * of the last token a call event brought.
 */
export function eventSink(
  onEvent: ((event: AstroEvent) => void) | undefined,
  logger: AstroLogger | undefined,
  staticToken?: string,
): EventSink | undefined {
  if (!onEvent && !logger) return undefined;
  const warn = warnOnce();
  let lastToken: string | undefined;
  const guard = (hook: string, run: () => unknown, given: string | undefined) => {
    if (given !== undefined) lastToken = given;
    const tokens = [given, lastToken, staticToken];
    callHook(run, (error) => warn(hook, error, tokens));
  };
  return (event, token) => {
    if (onEvent) guard("onEvent", () => onEvent(event), token);
    if (!logger) return;
    guard(
      "logger",
      () =>
        event.type === "retry"
          ? logger.warn?.(event, describe(event))
          : logger.debug?.(event, describe(event)),
      token,
    );
  };
}
