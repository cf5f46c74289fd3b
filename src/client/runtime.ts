import type { LimiterCounts } from "../throttle/limiter.js";
import type { MethodClass } from "../throttle/limits.js";
import { Throttle } from "../throttle/throttle.js";
import type { Transport } from "../transport/call.js";
import { clientSecrets, constantToken, rememberingTokenHash } from "../transport/token.js";
import type { WorkflowContext } from "../workflows/create-workflows.js";
import type { ClientConfig } from "./config.js";

/** What every client has beside its operations, whichever API generation it speaks. */
export interface ClientLifecycle {
  /** Requests waiting for budget and in flight, per method class (zero when throttling is off). */
  stats(): Record<MethodClass, LimiterCounts>;
  /**
   * Releases what the client holds open: with `throttle.redis`, calls still waiting for budget
   * reject, requests already sent keep their unit until a window after they end, then the Redis
   * connections close so the process can exit. Resolves at once otherwise.
   */
  close(): Promise<void>;
}

/**
 * The runtime one client runs on: auth, throttle, retries, errors and events, the same for the v1
 * client and the v1beta1 clients. The throttle's budgets are per process and per token
 * (src/throttle/registry.ts), so clients of both generations built with one token share them.
 */
export function createRuntime(config: ClientConfig): { transport: Transport; lifecycle: ClientLifecycle } {
  const throttle = config.throttle && new Throttle(config.throttle, { logger: config.logger });
  const hashOf = rememberingTokenHash();
  // A constant token's budgets take this client's limits now, before anybody's first call.
  const token = constantToken(config.token);
  if (throttle && token !== undefined) throttle.declare(hashOf(token));
  return {
    transport: { config, throttle, hashOf },
    lifecycle: {
      stats: () =>
        throttle?.stats() ?? {
          get: { queued: 0, running: 0 },
          post: { queued: 0, running: 0 },
          delete: { queued: 0, running: 0 },
        },
      close: () => throttle?.close() ?? Promise.resolve(),
    },
  };
}

/** What a client's workflows are given: its event sink, and its token's spellings to redact. */
export function workflowContext(config: ClientConfig): WorkflowContext {
  return { emit: config.emit, secrets: () => clientSecrets(config.token) };
}

/** A one-line `util.inspect` of a client: where it sends and how it throttles, never the token. */
export function describeClient(target: object, text: () => string): void {
  Object.defineProperty(target, Symbol.for("nodejs.util.inspect.custom"), { value: text });
}

/** The throttle part of `describeClient`'s line. */
export function throttleText(transport: Transport): string {
  return transport.throttle ? JSON.stringify(transport.throttle.limits) : "off";
}
