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

export function createClock(): FakeClock & { reset(): void } {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    reset: () => void (offset = 0),
    advance(ms) {
      // A caller's value may be anything (a Symbol, a huge string): shown by describeValue, bounded.
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
        throw new AstroConfigError(`clock.advance: ${describeValue(ms)} is not a duration`);
      offset += ms;
    },
  };
}
