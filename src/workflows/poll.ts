import {
  AstroApiError,
  AstroConfigError,
  AstroConnectionError,
  InvalidResponseError,
} from "../errors/error-classes.js";
import { AstroWaiterError, type WaiterFailureReason } from "./errors.js";
import type { WaiterEvent, WaiterName, WaiterStatuses } from "./events.js";
import { hintedTiming } from "./poll-hint.js";
import { redact } from "../errors/redact.js";
import { escapedLine } from "../errors/server-text.js";
import { sleep } from "../transport/timers.js";
import { abortReason } from "../transport/abort-fanout.js";
import { backoffDelay, deadlineSignal, type WaitTiming } from "./timing.js";

/** What one poll found; `hintMs` is the pause a loopback test server asked for (see poll-hint.ts). */
export type Check<T> = (
  | { state: "success"; status: string | undefined; value: T }
  | { state: "failure" | "pending"; status: string | undefined }
) & { hintMs?: number };

/** One waiter run: what to poll and how to read it. */
export interface PollSpec<T, W extends WaiterName> {
  waiter: W;
  resourceId: string;
  timing: WaitTiming;
  /** The caller set `minDelayMs` or `maxDelayMs`: a server's hint does not change them. */
  timingSet: boolean;
  signal: AbortSignal | undefined;
  /** One poll, an ordinary client call made with `signal` (aborted at the deadline). */
  check: (signal: AbortSignal) => Promise<Check<T>>;
  emit: (event: WaiterEvent<W>) => void;
  /** What to redact from the statuses it repeats (WorkflowContext.secrets). */
  secrets?: (() => readonly string[]) | undefined;
}

/**
 * Whether a poll's error may pass by waiting: the client has already retried it (5xx, 429,
 * resets and timeouts, for a GET), but a wait of minutes outlives a short outage, as AWS's
 * waiters outlive a throttled call. A 4xx (bad id, lost permission) will not, and ends the wait.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof AstroConnectionError || error instanceof InvalidResponseError) return true;
  return error instanceof AstroApiError && (error.status >= 500 || error.status === 429);
}

/** The longest status a waiter repeats: Astro's are single words of under 30 characters. */
const MAX_STATUS_LENGTH = 100;

/**
 * A status as events, log lines and errors show it: the API's own (`HEALTHY`) as it is; anything
 * else bounded, with what is not printable ASCII escaped (no line a logger would split, no
 * lookalike of a real status) and the client's token redacted.
 */
function shownStatus(status: string, secrets: (() => readonly string[]) | undefined): string {
  return escapedLine(secrets === undefined ? status : redact(status, secrets()), MAX_STATUS_LENGTH);
}

/** Time since `start`, whole ms. */
const since = (start: number) => Math.round(performance.now() - start);

/**
 * Polls until `check` reports success (resolves with its value) or failure, a poll fails for
 * good, the deadline passes or the signal aborts (rejects with `AstroWaiterError`).
 *
 * The first poll goes out at once. Polls are always at least `minDelayMs` apart; when the next
 * regular poll would land past the deadline, one last poll is placed just before it (leaving
 * twice the latest poll's duration for it to answer, when `minDelayMs` allows), then the wait
 * times out. A poll still in flight at the deadline is aborted.
 */
export async function poll<T, W extends WaiterName>(spec: PollSpec<T, W>): Promise<T> {
  const { timing, signal } = spec;
  const started = performance.now();
  const deadline = started + timing.maxWaitMs;
  let attempts = 0;
  let lastStatus: string | undefined;
  let lastError: unknown;
  let lastPollPlaced = false;
  // The latest hint of this wait's answers: a poll that failed (an injected 5xx) keeps the pace.
  let hintMs: number | undefined;

  const end = (reason: WaiterFailureReason, cause?: unknown) =>
    new AstroWaiterError(
      {
        waiter: spec.waiter,
        reason,
        resourceId: spec.resourceId,
        lastStatus,
        attempts,
        elapsedMs: since(started),
      },
      cause === undefined ? undefined : { cause },
    );

  if (signal?.aborted) throw end("aborted", abortReason(signal));
  for (;;) {
    attempts += 1;
    const pollStarted = performance.now();
    const timer = deadlineSignal(deadline - pollStarted);
    const pollSignal = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
    let check: Check<T> | undefined;
    let error: unknown;
    try {
      check = await spec.check(pollSignal);
    } catch (caught) {
      if (signal?.aborted) throw end("aborted", abortReason(signal));
      if (timer.signal.aborted) throw end("timeout", lastError);
      if (caught instanceof AstroConfigError) throw caught;
      if (!isTransient(caught)) throw end("failed", caught);
      error = caught;
      lastError = caught;
    } finally {
      timer.clear();
    }
    const lastPollMs = performance.now() - pollStarted;
    // As shown: the server's text, bounded, escaped and without the token (it may echo it).
    const status = check?.status === undefined ? undefined : shownStatus(check.status, spec.secrets);
    // "Last status seen": an answer without one (a garbage body) does not erase the one before.
    if (status !== undefined) lastStatus = status;

    const settled = check !== undefined && check.state !== "pending";
    let delay: number | undefined;
    let timedOut = false;
    if (!settled) {
      const remaining = deadline - performance.now();
      // Room for the last poll to answer: twice what the latest one took (one slow start, such as a
      // first connection, does not pull every later poll early).
      const reserve = Math.max(2 * lastPollMs, 20);
      if (check?.hintMs !== undefined) hintMs = check.hintMs;
      const pace = hintedTiming(timing, hintMs, spec.timingSet);
      delay = backoffDelay(attempts, pace);
      if (delay > remaining - reserve) {
        // The next regular poll would land past the deadline: place one last poll just before it
        // (but never sooner than minDelayMs after this one), unless that one is already done.
        if (lastPollPlaced || remaining < pace.minDelayMs) {
          timedOut = true;
          delay = undefined;
        } else {
          delay = Math.max(pace.minDelayMs, remaining - reserve);
          lastPollPlaced = true;
        }
      }
    }
    spec.emit({
      type: "waiter",
      waiter: spec.waiter,
      resourceId: spec.resourceId,
      attempt: attempts,
      // Typed like the response bodies, by the pinned document's enum (which a real answer holds).
      status: status as WaiterStatuses[W] | undefined,
      outcome: check ? check.state : "error",
      error: check ? undefined : ((error as Error | undefined)?.name ?? "Error"),
      elapsedMs: since(started),
      nextPollInMs: delay === undefined ? undefined : Math.round(delay),
    });
    if (check?.state === "success") return check.value;
    if (check?.state === "failure") throw end("failed");
    if (timedOut || delay === undefined) throw end("timeout", lastError);
    try {
      await sleep(delay, signal);
    } catch {
      throw end("aborted", abortReason(signal!));
    }
  }
}
