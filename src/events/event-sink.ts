import type { AstroEvent, AstroLogger } from "./astro-event.js";

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
