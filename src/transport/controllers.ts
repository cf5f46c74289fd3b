/**
 * The attempts' AbortControllers, reused.
 *
 * Why: on Node 20 every `AbortSignal` is created as a transferable object, about 2 µs each, and
 * an attempt needs one (its timeout and the caller's signal abort its fetch through it); `npm run
 * bench` measured reuse at about 1% of a local call. A controller comes back only when nothing
 * aborted it and its attempt is over, body read included: it is private to the SDK, so the only
 * listener left on its signal is the one `fetch` added when it followed it, and that is removed
 * (it would otherwise keep the finished request reachable and grow with each reuse).
 */
import { optionalNodeBuiltin } from "../internal/unbundled-import.js";

type ListenerLister = (target: EventTarget, type: string) => unknown[];

/**
 * Node's listener list (Node, Bun, Deno), looked up at the first recycle rather than at import
 * (the lookup costs about as much as a call): without it (browsers, edge workers) the listener
 * `fetch` left cannot be found, so no controller is kept and each attempt makes its own.
 */
let getEventListeners: ListenerLister | null | undefined;

function listenerLister(): ListenerLister | null {
  getEventListeners ??=
    optionalNodeBuiltin<{ getEventListeners: ListenerLister }>("node:events")?.getEventListeners ?? null;
  return getEventListeners;
}

/** Kept for reuse at most: a burst of parallel attempts leaves no more than this behind. */
const MAX_KEPT = 64;

const kept: AbortController[] = [];

/** A controller whose signal is not aborted and has no listener. */
export function takeController(): AbortController {
  return kept.pop() ?? new AbortController();
}

/**
 * Gives back a controller taken with `takeController` once the attempt that used it is over and
 * nothing will read its signal again; an aborted one is dropped.
 */
export function recycleController(controller: AbortController): void {
  const signal = controller.signal;
  const listeners = listenerLister();
  if (signal.aborted || kept.length >= MAX_KEPT || listeners === null) return;
  for (const listener of listeners(signal, "abort")) {
    signal.removeEventListener("abort", listener as EventListener);
  }
  kept.push(controller);
}
