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
  | (EventBase & { type: "throttle"; methodClass: MethodClass; waitedMs: number })
  | (EventBase & { type: "request"; url: string })
  | (EventBase & { type: "response"; status: number; requestId: string | undefined; durationMs: number })
  | (EventBase & { type: "retry"; reason: string; status: number | undefined; delayMs: number })
  | (EventBase & {
      type: "error";
      name: string;
      message: string;
      status: number | undefined;
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
  debug?(...args: unknown[]): void;
  info?(...args: unknown[]): void;
  warn?(...args: unknown[]): void;
  error?(...args: unknown[]): void;
}
