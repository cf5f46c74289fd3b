/**
 * Checks of the fault options a test gives (`faults`, `fake.faults.set`, `fake.faults.once`), so
 * that a mistake fails where it is made, with a message naming it — not later, as a status Node
 * refuses to send (which would throw inside the server), or as a fault that silently never fires
 * because its operationId has a typo.
 */
import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";
import { safeLine } from "../errors/server-text.js";
import { MAX_TIMER_MS } from "../transport/timers.js";
import type { FaultOptions, FaultRule, OneShotFault } from "./faults.js";

/** An `AstroConfigError` saying that `where` must be `what`, showing the value given. */
export function fail(where: string, what: string, value: unknown): never {
  // As JSON where it can be (`[50,10]` says more than "an array"), bounded; by its kind where
  // JSON.stringify throws (a BigInt, a cycle), so the mistake is still an AstroConfigError.
  let shown: string;
  try {
    shown = safeLine(JSON.stringify(value) ?? String(value), 100);
  } catch {
    shown = describeValue(value);
  }
  throw new AstroConfigError(`${where} must be ${what}, got ${shown}`);
}

function checkShare(where: string, value: unknown): void {
  if (value !== undefined && !(typeof value === "number" && value >= 0 && value <= 1))
    fail(where, "a share between 0 and 1", value);
}

/** An injected error is an HTTP error status: 400–599. */
function checkStatus(where: string, value: unknown): void {
  if (
    value !== undefined &&
    !(Number.isInteger(value) && (value as number) >= 400 && (value as number) <= 599)
  )
    fail(where, "an HTTP error status (400–599)", value);
}

function checkLatency(where: string, value: unknown): void {
  if (value === undefined) return;
  // At most what a timer holds: a longer delay fired at once, with a TimeoutOverflowWarning.
  const ms = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= MAX_TIMER_MS;
  const ok = Array.isArray(value)
    ? value.length === 2 && ms(value[0]) && ms(value[1]) && (value[0] as number) <= (value[1] as number)
    : ms(value);
  if (!ok) fail(where, `a number of ms from 0 to ${MAX_TIMER_MS} or a [min, max] range of them`, value);
}

function checkOperation(where: string, operationId: unknown, known: ReadonlySet<string>): void {
  if (typeof operationId !== "string" || !known.has(operationId))
    fail(where, "an operationId of the API (e.g. GetDeployment) or UploadDagTarball", operationId);
}

function checkRule(where: string, rule: FaultRule): void {
  if (rule === null || typeof rule !== "object") fail(where, "an object", rule);
  checkLatency(`${where}.latencyMs`, rule.latencyMs);
  checkShare(`${where}.errorRate`, rule.errorRate);
  checkShare(`${where}.resetRate`, rule.resetRate);
  checkStatus(`${where}.errorStatus`, rule.errorStatus);
}

/** Throws a `RangeError` naming the first unusable field of `options`. */
export function checkFaultOptions(options: FaultOptions | undefined, known: ReadonlySet<string>): void {
  if (options === undefined) return;
  checkRule("faults", options);
  for (const [operationId, rule] of Object.entries(options.operations ?? {})) {
    checkOperation("faults.operations key", operationId, known);
    checkRule(`faults.operations.${operationId}`, rule);
  }
}

/** Throws a `RangeError` naming the first unusable field of a one-shot fault. */
export function checkOneShot(fault: OneShotFault, known: ReadonlySet<string>): void {
  if (fault === null || typeof fault !== "object") fail("faults.once()", "an object", fault);
  if (fault.kind !== "reset" && fault.kind !== "error")
    fail("faults.once().kind", '"reset" or "error"', fault.kind);
  if (fault.operationId !== undefined) checkOperation("faults.once().operationId", fault.operationId, known);
  checkStatus("faults.once().status", fault.status);
  if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times >= 1))
    fail("faults.once().times", "a whole number ≥ 1", fault.times);
}
