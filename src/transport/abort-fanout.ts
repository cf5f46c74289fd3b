/**
 * The SDK's listeners on a caller's `AbortSignal`, through one listener per signal.
 *
 * Why: a CLI passes one Ctrl-C signal to every call. Each call listening on it for itself put one
 * listener per call in flight on the signal, and at 11 Node printed `MaxListenersExceededWarning`
 * — a false alarm (`fetch` with the same signal stays silent), and one that users chase. Raising
 * the caller's signal's limit would hide real leaks in their code. Here the SDK adds one listener
 * to a signal, whatever the number of calls sharing it, fans the abort out to its own listeners,
 * and takes its listener off again once none of them is left: when every call (and every stream)
 * using the signal has ended, the signal holds nothing of the SDK's.
 */

import { AstroConfigError } from "../errors/error-classes.js";

/** The SDK's listeners on one signal, and the one listener the signal holds for them. */
interface Fanout {
  readonly listeners: Set<() => void>;
  readonly fire: () => void;
}

const fanouts = new WeakMap<AbortSignal, Fanout>();

const NOTHING = (): void => undefined;

/**
 * Runs `listener` once when `signal` aborts, and returns a function that stops listening (call it
 * when the work the listener guards has ended, however it did). The caller checks
 * `signal.aborted` first: a signal aborted already does not fire again.
 */
export function whenAborted(signal: AbortSignal | undefined, listener: () => void): () => void {
  if (signal === undefined) return NOTHING;
  let fanout = fanouts.get(signal);
  if (fanout === undefined) {
    const listeners = new Set<() => void>();
    const fire = () => {
      fanouts.delete(signal);
      // Each listener stops a call of its own: one that throws must not leave the others running,
      // nor reach the signal's dispatch (Node reports a listener's throw as an uncaught exception).
      for (const each of [...listeners]) {
        try {
          each();
        } catch {
          // Nothing to report it to: the listeners read reasons through `abortReason`, which never throws.
        }
      }
      listeners.clear();
    };
    fanout = { listeners, fire };
    fanouts.set(signal, fanout);
    signal.addEventListener("abort", fire, { once: true });
  }
  const own = fanout;
  // A wrapper of its own: the same function given twice is two subscriptions.
  const entry = () => listener();
  own.listeners.add(entry);
  return () => {
    if (!own.listeners.delete(entry) || own.listeners.size > 0) return;
    signal.removeEventListener("abort", own.fire);
    if (fanouts.get(signal) === own) fanouts.delete(signal);
  };
}

/**
 * What a call aborted by `signal` rejects with: the signal's reason as it is (callers compare it
 * with what they aborted with), whatever it is. A `reason` redefined as a getter that throws
 * would otherwise throw inside the SDK's listeners, leaving the call to run to its timeout: it
 * becomes an `AstroConfigError` instead, and the call still ends at once.
 */
export function abortReason(signal: AbortSignal): unknown {
  try {
    return signal.reason;
  } catch {
    return new AstroConfigError(
      "the call was aborted, but its signal's reason could not be read (reading signal.reason threw)",
    );
  }
}
