/**
 * The clock lifecycles run on: real time plus whatever the test has added, so a test can jump
 * ahead (`advance`) instead of sleeping. Rate limits do not use it: they imitate the gateway,
 * which counts real seconds, like the SDK's throttle does.
 */
import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";

/** The time lifecycles run on; tests move it forward instead of sleeping. */
export interface FakeClock {
  /** Milliseconds since the epoch, as the fake sees them. */
  now(): number;
  /** Moves the fake's time forward by `ms` (lifecycles waiting on time move on). */
  advance(ms: number): void;
}

/** How far ahead the fake's clock may be: a thousand years, well inside a Date's range (±8.64e15 ms). */
const MAX_OFFSET_MS = 1000 * 365.25 * 24 * 3600 * 1000;

export function createClock(): FakeClock & { reset(): void } {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    reset: () => void (offset = 0),
    advance(ms) {
      // A caller's value may be anything (a Symbol, a huge string): shown by describeValue, bounded.
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
        throw new AstroConfigError(`clock.advance: ${describeValue(ms)} is not a duration`);
      // Past what a Date can hold, every timestamp the fake writes (createdAt, an upload's
      // version id) threw a RangeError, and each request was answered 500.
      if (offset + ms > MAX_OFFSET_MS)
        throw new AstroConfigError(
          `clock.advance: ${ms} ms would take the fake's clock past ${MAX_OFFSET_MS} ms ahead`,
        );
      offset += ms;
    },
  };
}
