import type { RequestRecord } from "../errors/request-record.js";
import type { MethodClass } from "../throttle/limits.js";
import type { WorkflowEvent } from "../workflows/events.js";

/** Fields every event carries: the call's record and which attempt it is about. */
export interface EventBase extends RequestRecord {
  /** 1 for the first attempt. */
  attempt: number;
}

/** The events of one request's attempts. */
export type RequestEvent =
  | (EventBase & {
      /** The attempt got its turn from the throttle. */
      type: "throttle";
      /** The budget it counted against. */
      methodClass: MethodClass;
      /** How long it waited for its turn (0 when the budget had room). */
      waitedMs: number;
    })
  | (EventBase & {
      /** The attempt is sent. */
      type: "request";
      /** The URL requested (it carries no token). */
      url: string;
    })
  | (EventBase & {
      /** The attempt was answered, with any status. */
      type: "response";
      /** The HTTP status. */
      status: number;
      /** Astronomer's request id, from the response headers. */
      requestId: string | undefined;
      /** From sending the request to having its body read (headers only for a streamed binary body). */
      durationMs: number;
    })
  | (EventBase & {
      /** The attempt failed in a way that is retried: another attempt follows after `delayMs`. */
      type: "retry";
      /** Why: the status, or the network failure's code and message. */
      reason: string;
      /** The status that is retried, `undefined` for a network failure. */
      status: number | undefined;
      /** How long the client waits before the next attempt (`Retry-After` or backoff). */
      delayMs: number;
    })
  | (EventBase & {
      /** The call failed for good: its promise rejects with the error described here. */
      type: "error";
      /** The error's class name (e.g. `NotFoundError`). */
      name: string;
      /** The error's message. */
      message: string;
      /** The HTTP status, for an `AstroApiError`. */
      status: number | undefined;
      /** Astronomer's request id, for an `AstroApiError` that has one. */
      requestId: string | undefined;
    });

/**
 * What the client reports through `onEvent` and `logger`: each request's events, and the
 * workflows' (`waiter` polls, `deploy` steps, `upload` progress), told apart by `type`. No event
 * carries the token or request headers; URLs carry none either (the token travels in the
 * Authorization header).
 */
export type AstroEvent = RequestEvent | WorkflowEvent;

/** Any logger with leveled methods: `console`, pino, winston… Messages go out as (object, text). */
export interface AstroLogger {
  /** Receives each request event except `retry`, and the workflows' events. */
  debug?(...args: unknown[]): void;
  /** Receives notices such as the Redis throttle coming back after a fallback. */
  info?(...args: unknown[]): void;
  /** Receives `retry` events and warnings such as the Redis throttle falling back to local. */
  warn?(...args: unknown[]): void;
  /** Part of the usual logger shape; the SDK reports its failures by rejecting, not here. */
  error?(...args: unknown[]): void;
}
