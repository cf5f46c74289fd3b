import type { MethodClass } from "./throttle/limits.js";

/** Fields every event carries. */
export interface EventBase {
  api: string;
  /** Upper-case HTTP method. */
  method: string;
  /** Path template. */
  path: string;
  operationId: string | undefined;
  /** 1 for the first attempt. */
  attempt: number;
}

/**
 * What the client reports through `onEvent` and `logger`. No event carries the token or request
 * headers; URLs carry none either (the token travels in the Authorization header).
 */
export type AstroEvent =
  | (EventBase & { type: "throttle"; methodClass: MethodClass; waitedMs: number })
  | (EventBase & { type: "request"; url: string })
  | (EventBase & { type: "response"; status: number; requestId: string | undefined; durationMs: number })
  | (EventBase & { type: "retry"; reason: string; status: number | undefined; delayMs: number })
  | (EventBase & {
      type: "error";
      name: string;
      message: string;
      status: number | undefined;
      requestId: string | undefined;
    });

/** Any logger with leveled methods: `console`, pino, winston… Messages go out as (object, text). */
export interface AstroLogger {
  debug?(...args: unknown[]): void;
  info?(...args: unknown[]): void;
  warn?(...args: unknown[]): void;
  error?(...args: unknown[]): void;
}

function describe(event: AstroEvent): string {
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

/** Sends events to the hook and the logger: retries at `warn`, everything else at `debug`. */
export function eventSink(
  onEvent: ((event: AstroEvent) => void) | undefined,
  logger: AstroLogger | undefined,
): (event: AstroEvent) => void {
  return (event) => {
    onEvent?.(event);
    if (!logger) return;
    const log = event.type === "retry" ? logger.warn : logger.debug;
    log?.call(logger, event, describe(event));
  };
}
