import type { AttemptTicket } from "../throttle/limiter.js";

/** A ticket nobody reads: for calls with throttling off. */
export const UNTHROTTLED: AttemptTicket = Object.freeze({
  sent() {},
  answered() {},
  rateLimited() {},
  unsent() {},
});
