/**
 * Fault injection for resilience tests: latency, a share of 5xx answers, dropped connections —
 * for every operation or per operationId, drawn from a seeded generator so a test sees the same
 * faults on every run. One-shot faults hit the next matching request(s) exactly.
 */
import { checkFaultOptions, checkOneShot } from "./fault-checks.js";
import { seededRandom, type SeededRandom } from "./random.js";

/** Faults applied to the requests it covers (all of them, or one operation's). */
export interface FaultRule {
  /** Delay before answering: a fixed number of ms, or a `[min, max]` range drawn per request. */
  latencyMs?: number | readonly [number, number];
  /** Share of requests (0–1) answered with a 5xx instead of being handled. */
  errorRate?: number;
  /** Status of those answers (default 503). */
  errorStatus?: number;
  /** Share of requests (0–1) whose connection is dropped before they are handled. */
  resetRate?: number;
}

/** Faults of a fake: a global rule, a seed for its draws, and rules per operation. */
export interface FaultOptions extends FaultRule {
  /** Seed of the draws (default `"astro-fake"`). */
  seed?: string | number;
  /**
   * Rules per operationId (`"GetDeployment"`, or `"UploadDagTarball"` for the upload URL); an
   * operation's rule replaces the global fields it sets.
   */
  operations?: Readonly<Record<string, FaultRule>>;
}

/** A fault for the next matching request(s) only. */
export interface OneShotFault {
  /** Which operation (default: any). */
  operationId?: string;
  /**
   * `reset` drops the connection, `error` answers `status` (default 503). With
   * `after: true` the request is handled first (its change to the state is made) and only the
   * answer is lost — the ambiguous failure idempotency rules are about.
   */
  kind: "reset" | "error";
  /** The status of an `error` (default 503). */
  status?: number;
  /** Handle the request first and lose only its answer (default: lose the request). */
  after?: boolean;
  /** How many requests it hits (default 1). */
  times?: number;
}

/** What happens to one request. */
export interface FaultDecision {
  delayMs: number;
  /** Instead of handling it (`before`) or instead of its answer (`after`). */
  replace?: { kind: "reset" } | { kind: "error"; status: number };
  after: boolean;
}

/** How a test changes the faults of a running fake. */
export interface FaultController {
  /** Replaces the rules (the draw sequence restarts from the seed). */
  set(options: FaultOptions | undefined): void;
  /** Queues a one-shot fault. */
  once(fault: OneShotFault): void;
  /** Removes rules and queued one-shot faults. */
  clear(): void;
}

/** The fake's side: the controller, and the decision for each request. */
export interface FaultEngine extends FaultController {
  decide(operationId: string | undefined): FaultDecision;
}

/**
 * The fault engine of a fake whose operations are `operationIds` (the upload URL's included):
 * options naming anything else, or unusable values, are refused when given.
 */
export function createFaults(initial: FaultOptions | undefined, operationIds: Iterable<string>): FaultEngine {
  const known = new Set(operationIds);
  let options: FaultOptions = {};
  let random: SeededRandom = seededRandom("astro-fake");
  const queue: (OneShotFault & { left: number })[] = [];
  const controller: FaultEngine = {
    set(next) {
      checkFaultOptions(next, known);
      options = next ?? {};
      random = seededRandom(options.seed ?? "astro-fake");
    },
    once(fault) {
      checkOneShot(fault, known);
      queue.push({ ...fault, left: fault.times ?? 1 });
    },
    clear() {
      controller.set(undefined);
      queue.length = 0;
    },
    decide(operationId) {
      const rule: FaultRule = {
        ...options,
        ...(operationId ? options.operations?.[operationId] : undefined),
      };
      const latency = rule.latencyMs;
      const delayMs =
        latency === undefined
          ? 0
          : typeof latency === "number"
            ? latency
            : latency[0] + Math.round(random.next() * (latency[1] - latency[0]));
      const shot = queue.find((f) => f.operationId === undefined || f.operationId === operationId);
      if (shot) {
        if (--shot.left <= 0) queue.splice(queue.indexOf(shot), 1);
        const replace =
          shot.kind === "reset"
            ? { kind: "reset" as const }
            : { kind: "error" as const, status: shot.status ?? 503 };
        return { delayMs, replace, after: shot.after === true };
      }
      // Both shares are drawn on every request, so adding one does not shift the other's sequence.
      const resetDraw = random.next();
      const errorDraw = random.next();
      if (rule.resetRate && resetDraw < rule.resetRate)
        return { delayMs, replace: { kind: "reset" }, after: false };
      if (rule.errorRate && errorDraw < rule.errorRate)
        return { delayMs, replace: { kind: "error", status: rule.errorStatus ?? 503 }, after: false };
      return { delayMs, after: false };
    },
  };
  controller.set(initial);
  return controller;
}
