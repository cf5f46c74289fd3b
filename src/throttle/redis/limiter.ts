import type Bottleneck from "bottleneck";
import { ArrivalModel, type DelayBounds } from "../arrival.js";
import { Backoff, MAX_PAUSE_MS } from "../backoff.js";
import type { AttemptTimes, Limiter, LimiterCounts, Ticket, Unit } from "../limiter.js";
import { abortReason, whenAborted } from "../../transport/abort-fanout.js";
import { UnitTicket, giveBack } from "../ticket.js";
import type { RedisBackend } from "./backend.js";
import { AstroRedisError } from "./error.js";
import { parseBudgetMessage, rateLimitedText } from "./message.js";
import { REFRESH_MS, SharedTerms } from "./shared-terms.js";
import { safeMessage } from "./url.js";

// Over 250 lines because it is one state machine: every call moves between waiting, queued in
// Bottleneck, the local fallback, started and settled as the backend's state changes; split, each
// part would need the whole of it.

/** Bottleneck's heartbeat: keeps this process registered and reclaims units of dead processes. */
const HEARTBEAT_MS = 1000;
/** A process silent this long is dropped from Bottleneck's bookkeeping (its default). */
const CLIENT_TIMEOUT_MS = 10_000;
/**
 * A unit granted longer ago than this share of its lease's slack is not used (an event loop
 * stalled between the grant and the start): most of the slack stays for the request to reach the server.
 */
const LATE_START_SHARE = 0.25;
const REGISTER_SCRIPT = "Calling Redis script: register.lua";
/** A grant the shared terms refused is submitted again after this (Bottleneck then knows the ceiling). */
const REFUSED_RETRY_MS = 10;

/**
 * - `waiting`: for Redis to be usable (connecting, reconnecting, quarantine).
 * - `queued`: in Bottleneck's queue, for a unit of the shared budget.
 * - `local`: handed to the in-process limiter (`onRedisError: "local"`).
 * - `started`: the task runs; `settled`: rejected before it started (abort, Redis error, close).
 */
type CallState = "waiting" | "queued" | "local" | "started" | "settled";

/** What a budget shared through Redis is: its limit per window, and the delay assumptions. */
export interface RedisBudgetKey {
  limit: number;
  windowMs: number;
  bounds: DelayBounds;
}

interface Call {
  resolve: (ticket: Ticket) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  /** Stops listening to `signal` (see `whenAborted`). */
  stop: () => void;
  state: CallState;
  /** The Bottleneck job that holds this call's place while `queued`. */
  job: string | undefined;
  deadline: ReturnType<typeof setTimeout> | undefined;
}

/**
 * A sliding-window limit shared through Redis by Bottleneck's clustering.
 *
 * The in-process limiter takes a reservoir unit per request and gives it back a window after the
 * request ended. Clustered, that leaks: a process that dies between taking and giving back loses
 * the unit for good, and a reset of Redis' keys (expiry, restart) re-creates the reservoir while
 * give-backs are still on their way, so it grows past the limit (test/src/throttle/redis-bottleneck.test.ts).
 * Here the same bound comes from Bottleneck's `maxConcurrent = limit`, each job *holding* its slot
 * from its grant until its unit comes back (`ArrivalModel.releaseAt`, as in-process). Among any limit + 1 requests, the last
 * was granted a slot only after one of the others released its own, a window after the server
 * had that one. Bottleneck records every slot in Redis with an expiration (`leaseMs`), so Redis
 * reclaims the slots of a process that died by itself; and releasing a slot that Redis no longer
 * knows (after a reset) changes nothing.
 *
 * Processes may be configured with different limits and windows: each declares its own in Redis,
 * and every grant is checked against the strictest live declaration (`SharedTerms`), so the
 * budget never hands out more than any live process's limit; a process that leaves stops
 * constraining it at once, one that dies after `DECLARATION_TTL_MS`.
 *
 * A 429 pauses this budget in every process: the process that got it publishes it on the
 * budget's Bottleneck channel, and each process stops submitting until the server's Retry-After
 * has passed. It also cuts the shared ceiling in Redis (all processes together hold at most 70%
 * of it, climbing back one unit per window), besides each process's own (see `backoff.ts`).
 */
export class RedisLimiter implements Limiter {
  readonly #backend: RedisBackend;
  readonly #key: RedisBudgetKey;
  readonly #id: string;
  readonly #fallback: () => Limiter;
  readonly #arrival: ArrivalModel;
  readonly #backoff: Backoff;
  readonly #unsubscribe: () => void;
  #resume: ReturnType<typeof setTimeout> | undefined;
  /** When the pauses asked for by messages began (`performance.now()` time). */
  #pauseSince = -Infinity;
  readonly #calls = new Set<Call>();
  /** Bottleneck jobs by id, while they may run. */
  readonly #jobs = new Map<string, Promise<unknown>>();
  /** Jobs whose request started: they end once Redis has their slot back. */
  readonly #holding = new Set<Promise<unknown>>();
  readonly #grantedAt = new Map<string, number>();
  #lastRegisterAt: number | undefined;
  #bottleneck: { generation: number; instance: Bottleneck; shared: SharedTerms } | undefined;
  /** Names this limiter's declaration in Redis. */
  readonly #member = globalThis.crypto.randomUUID();
  #refresh: ReturnType<typeof setInterval> | undefined;
  #nextJob = 0;
  #running = 0;
  #closed = false;

  /** `id` names the budget in Redis: prefix, token hash and method class. */
  constructor(backend: RedisBackend, key: RedisBudgetKey, id: string, fallback: () => Limiter) {
    this.#backend = backend;
    this.#key = key;
    this.#id = id;
    this.#fallback = fallback;
    this.#arrival = new ArrivalModel(key.bounds);
    this.#backoff = new Backoff(key.windowMs);
    this.#unsubscribe = backend.subscribe(() => this.#pump());
  }

  /** Every unit comes through Redis: never at once. */
  tryTake(): Ticket | undefined {
    return undefined;
  }

  take(signal?: AbortSignal): Promise<Ticket> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<Ticket>((resolve, reject) => {
      const call: Call = {
        resolve,
        reject,
        signal,
        stop: () => undefined,
        state: "waiting",
        job: undefined,
        deadline: undefined,
      };
      call.stop = whenAborted(signal, () => this.#settle(call, abortReason(signal!)));
      this.#calls.add(call);
      if (this.#closed) return this.#settle(call, this.#backend.failure());
      this.#backend.start();
      this.#pump();
    });
  }

  counts(): LimiterCounts {
    return { queued: this.#calls.size, running: this.#running };
  }

  /** Nothing waiting, running, holding a slot or backing off: the limiter may leave Redis. */
  idle(): boolean {
    return (
      this.#calls.size === 0 &&
      this.#running === 0 &&
      this.#holding.size === 0 &&
      this.#backoff.settled(performance.now(), this.#key.limit)
    );
  }

  /**
   * Rejects calls that have not started, waits until started ones have given their slots back
   * to Redis (so other processes need not wait for the lease), then leaves Redis.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unsubscribe();
    clearTimeout(this.#resume);
    clearInterval(this.#refresh);
    for (const call of this.#calls) this.#settle(call, this.#backend.failure());
    const limit = this.#key.windowMs + this.#backend.options.timeoutMs;
    await Promise.race([
      Promise.allSettled([...this.#holding]),
      new Promise((resolve) => setTimeout(resolve, limit).unref?.()),
    ]);
    const current = this.#bottleneck;
    this.#bottleneck = undefined;
    // Processes with laxer limits need not wait for the declaration to expire (with Redis away,
    // it expires by itself: closing does not wait for a reconnection).
    if (this.#backend.connection?.client.status === "ready")
      await current?.shared.leave().catch(() => undefined);
    await this.#leave(current?.instance);
  }

  /** Stops a Bottleneck instance's heartbeat and subscriptions (its `disconnect` may not return a promise). */
  async #leave(instance: Bottleneck | undefined): Promise<void> {
    try {
      await instance?.disconnect(false);
    } catch {
      // The connection is gone already.
    }
  }

  /** Moves every call that has not started to where the backend's state says it belongs. */
  #pump(): void {
    const backend = this.#backend;
    const { onRedisError, timeoutMs } = backend.options;
    const paused = this.#backoff.pausedUntil(performance.now());
    if (paused !== undefined && this.#calls.size > 0) this.#resumeAt(paused);
    for (const call of this.#calls) {
      if (this.#closed || backend.state === "closed") {
        this.#settle(call, backend.failure());
        continue;
      }
      if (call.state === "queued" && backend.state !== "up") {
        // Its Bottleneck job stays behind; if it is ever granted, it hands the slot straight back.
        call.state = "waiting";
        call.job = undefined;
      }
      if (call.state !== "waiting") continue;
      const state = backend.state;
      if (state === "up") {
        if (paused !== undefined) continue;
        this.#submit(call);
      } else if (
        onRedisError === "local" &&
        (state === "down" || (state === "connecting" && backend.fellBack)) &&
        !backend.configError
      ) {
        this.#toLocal(call);
      } else if (state === "down" && !backend.recovering) {
        this.#settle(call, backend.failure(timeoutMs));
      } else if (state === "down") {
        // ioredis is reconnecting after a loss: wait for it at most `timeoutMs`.
        call.deadline ??= setTimeout(() => this.#settle(call, backend.failure(timeoutMs)), timeoutMs);
      } else {
        // Connecting (an attempt bounded by `timeoutMs` itself), or connected and waiting out the
        // quarantine (bounded by the window).
        clearTimeout(call.deadline);
        call.deadline = undefined;
      }
    }
  }

  #submit(call: Call): void {
    clearTimeout(call.deadline);
    call.deadline = undefined;
    const job = String(++this.#nextJob);
    call.state = "queued";
    call.job = job;
    const promise = this.#instance().schedule({ id: job, expiration: this.#backend.options.leaseMs }, () =>
      this.#granted(call, job),
    );
    this.#jobs.set(job, promise);
    promise
      .catch((error: unknown) => this.#jobFailed(call, job, error))
      .finally(() => this.#jobs.delete(job));
  }

  /**
   * Bottleneck granted a slot to `job`: hand the call its unit, and hold the slot until the unit
   * comes back — a window after the server surely had the request (as in-process).
   */
  #granted(call: Call, job: string): Promise<void> {
    const grantedAt = this.#grantedAt.get(job);
    this.#grantedAt.delete(job);
    if (call.state !== "queued" || call.job !== job) return Promise.resolve(); // abandoned: slot straight back
    const { leaseMs } = this.#backend.options;
    const late =
      grantedAt !== undefined && Date.now() - grantedAt > (leaseMs - this.#key.windowMs) * LATE_START_SHARE;
    const now = performance.now();
    const full = this.#running >= this.#backoff.ceiling(now, this.#key.limit);
    if (this.#backend.state !== "up" || late || this.#paused() || full) {
      // Not now (Redis lost, a stalled loop, a 429 pause, a reduced ceiling): slot back, wait again.
      call.state = "waiting";
      call.job = undefined;
      if (full && !this.#paused()) this.#resumeAt(this.#backoff.nextRise(now, this.#key.limit) ?? now + 10);
      else this.#pump();
      return Promise.resolve();
    }
    return this.#checked(call, job);
  }

  /**
   * The shared terms confirm the grant (atomically in Redis: the slots running, this one
   * included, within the strictest live limit and the 429 cut); then the call starts and holds
   * its slot until its unit comes back.
   */
  async #checked(call: Call, job: string): Promise<void> {
    let allowed: boolean;
    try {
      allowed = (await this.#bottleneck?.shared.declare()) === true;
    } catch (error) {
      return this.#jobFailed(call, job, error);
    }
    if (call.state !== "queued" || call.job !== job) return; // abandoned meanwhile: slot straight back
    if (!allowed || this.#backend.state !== "up" || this.#paused()) {
      call.state = "waiting";
      call.job = undefined;
      this.#resumeAt(performance.now() + REFUSED_RETRY_MS);
      return;
    }
    const held = new Promise<void>((release) => {
      this.#start(call);
      call.resolve(new UnitTicket(this.#unit(release)));
    });
    // Bottleneck's job settles after it told Redis the slot is free.
    const released = (this.#jobs.get(job) ?? held).catch(() => undefined);
    this.#holding.add(released);
    void released.finally(() => this.#holding.delete(released));
    return held;
  }

  /**
   * The unit of a granted slot: `release` frees the slot once the arrival model allows — at the
   * latest, with an asserted maximum delay, at its provisional release after `sent` (a request
   * that then goes unanswered cannot take its slot back: the residual risk of that option).
   */
  #unit(release: () => void): Unit {
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Unref'd: a slot is Redis' to expire if this process exits first.
    const at = (time: number) => {
      clearTimeout(timer);
      timer = setTimeout(release, Math.max(0, time - performance.now()));
      timer.unref?.();
    };
    const finish = (time: number) => {
      if (done) return;
      done = true;
      this.#running -= 1;
      at(time);
    };
    return {
      sent: (sentAt) => {
        const provisional = this.#arrival.provisionalAt(sentAt, this.#windowMs());
        if (!done && Number.isFinite(provisional)) at(provisional);
      },
      release: (times: AttemptTimes) => finish(this.#arrival.releaseAt(times, this.#windowMs())),
      cancel: () => finish(0),
      rateLimited: (retryAfterMs) => this.#rateLimited(retryAfterMs, true),
    };
  }

  /** Marks a call started (it leaves the queue). */
  #start(call: Call): void {
    call.stop();
    this.#calls.delete(call);
    call.state = "started";
    this.#running += 1;
  }

  /**
   * A 429 here or in another process: pause until its Retry-After, then climb back. Pauses other
   * processes ask for add up to at most `MAX_PAUSE_MS` per `MAX_PAUSE_MS` + one window: a stream of
   * messages (a party with write access to Redis) slows calls but cannot hold them forever.
   */
  #rateLimited(retryAfterMs: number | undefined, publish: boolean): void {
    const now = performance.now();
    let pauseMs = retryAfterMs;
    if (!publish && pauseMs !== undefined) {
      // At most MAX_PAUSE_MS of pause by messages, then at least a window free of them.
      if (now >= this.#pauseSince + MAX_PAUSE_MS + this.#key.windowMs) this.#pauseSince = now;
      const left = this.#pauseSince + MAX_PAUSE_MS - now;
      pauseMs = left > 0 ? Math.min(pauseMs, left) : undefined;
    }
    this.#backoff.apply(now, pauseMs, this.#key.limit);
    if (publish) {
      this.#bottleneck?.instance.publish(rateLimitedText(retryAfterMs)).catch(() => undefined);
      this.#bottleneck?.shared.cut(retryAfterMs).catch(() => undefined);
    }
    this.#resumeAt(this.#backoff.pausedUntil(performance.now()));
  }

  /** The longest window of the processes sharing this budget: a unit is held that long. */
  #windowMs(): number {
    return this.#bottleneck?.shared.terms.windowMs ?? this.#key.windowMs;
  }

  #paused(): boolean {
    return this.#backoff.pausedUntil(performance.now()) !== undefined;
  }

  /** Submits waiting calls again at `at` (`performance.now()` time). */
  #resumeAt(at: number | undefined): void {
    if (at === undefined || this.#closed) return;
    clearTimeout(this.#resume);
    // Ref'd: calls wait for it, and a script must not exit (code 13) before their turn.
    this.#resume = setTimeout(() => this.#pump(), Math.max(1, Math.ceil(at - performance.now())));
  }

  #jobFailed(call: Call, job: string, error: unknown): void {
    this.#grantedAt.delete(job);
    if (call.state !== "queued" || call.job !== job) return;
    this.#backend.checkConnection();
    if (this.#backend.state !== "up") {
      call.state = "waiting";
      call.job = undefined;
      this.#pump();
      return;
    }
    const { display, secrets } = this.#backend.options.target;
    this.#settle(
      call,
      new AstroRedisError(
        `throttle.redis: ${display} refused the request's turn (${safeMessage(error, secrets)}); the request was not sent`,
        display,
      ),
    );
  }

  #toLocal(call: Call): void {
    clearTimeout(call.deadline);
    call.deadline = undefined;
    call.state = "local";
    this.#fallback()
      .take(call.signal)
      .then(
        (ticket) => {
          if (call.state !== "local") return giveBack(ticket);
          this.#start(call);
          call.resolve(this.#counted(ticket));
        },
        (error: unknown) => this.#settle(call, error),
      );
  }

  /** A fallback ticket, counted as running here until it ends. */
  #counted(ticket: Ticket): Ticket {
    let done = false;
    return {
      sent: () => ticket.sent(),
      answered: () => ticket.answered(),
      rateLimited: (retryAfterMs) => ticket.rateLimited(retryAfterMs),
      unsent: () => ticket.unsent(),
      end: () => {
        if (!done) this.#running -= 1;
        done = true;
        ticket.end();
      },
    };
  }

  /** Rejects a call that has not started. */
  #settle(call: Call, error: unknown): void {
    if (call.state === "started" || call.state === "settled") return;
    clearTimeout(call.deadline);
    call.stop();
    call.state = "settled";
    this.#calls.delete(call);
    call.reject(error);
  }

  /** This generation's Bottleneck instance: one per budget, sharing the backend's connection. */
  #instance(): Bottleneck {
    const backend = this.#backend;
    if (this.#bottleneck?.generation === backend.generation) return this.#bottleneck.instance;
    void this.#leave(this.#bottleneck?.instance);
    const { options, Bottleneck: Limiter } = backend;
    // Called once the connection is up, which loaded Bottleneck (loader.ts).
    if (Limiter === undefined) throw new Error("Bottleneck is not loaded");
    const instance = new Limiter({
      id: this.#id,
      datastore: "ioredis",
      connection: backend.connection as unknown as Bottleneck.IORedisConnection,
      maxConcurrent: this.#key.limit,
      minTime: 0,
      timeout: options.keyTtlMs,
      heartbeatInterval: HEARTBEAT_MS,
      clientTimeout: CLIENT_TIMEOUT_MS,
    });
    instance.on("error", (error) => backend.report(error));
    instance.on("message", (text: unknown) => {
      // Anyone who can publish on this Redis writes here: only a checked message counts.
      const message = parseBudgetMessage(text);
      if (message) this.#rateLimited(message.retryAfterMs, false);
    });
    // Its setup fails when Redis goes away meanwhile; the jobs submitted to it report that.
    instance.ready().catch(() => undefined);
    // When Bottleneck asked Redis for a job's slot: the debug event carries the time it sent, and
    // registrations run one at a time, so the next "scheduled" job is the one granted.
    instance.on("debug", (message, info) => {
      if (message === REGISTER_SCRIPT && Array.isArray(info) && typeof info[0] === "number") {
        this.#lastRegisterAt = info[0];
      }
    });
    instance.on("scheduled", (info) => {
      if (this.#lastRegisterAt !== undefined) this.#grantedAt.set(info.options.id, this.#lastRegisterAt);
    });
    const shared = new SharedTerms(
      // Set whenever the backend is up, which it is when a call is submitted.
      backend.connection!.client,
      this.#id,
      this.#member,
      {
        limit: this.#key.limit,
        windowMs: this.#key.windowMs,
        // A slot must come back before Redis reclaims it: no declared window holds it longer.
        maxWindowMs: options.leaseMs - 1000,
        keyTtlMs: options.keyTtlMs,
      },
      options.timeoutMs,
    );
    this.#bottleneck = { generation: backend.generation, instance, shared };
    // Unref'd: keeps this process's declaration alive while it makes no call, never the process.
    clearInterval(this.#refresh);
    this.#refresh = setInterval(() => {
      if (backend.state === "up") shared.declare().catch(() => undefined);
    }, REFRESH_MS);
    this.#refresh.unref?.();
    return instance;
  }
}
