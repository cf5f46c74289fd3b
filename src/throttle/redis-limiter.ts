import Bottleneck from "bottleneck";
import type { Limiter, LimiterCounts, LimiterKey } from "./limiter.js";
import type { RedisBackend } from "./redis-backend.js";
import { AstroRedisError } from "./redis-error.js";
import { safeMessage } from "./redis-url.js";

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

/**
 * - `waiting`: for Redis to be usable (connecting, reconnecting, quarantine).
 * - `queued`: in Bottleneck's queue, for a unit of the shared budget.
 * - `local`: handed to the in-process limiter (`onRedisError: "local"`).
 * - `started`: the task runs; `settled`: rejected before it started (abort, Redis error, close).
 */
type CallState = "waiting" | "queued" | "local" | "started" | "settled";

interface Call {
  task: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
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
 * from its grant until a window after its request ended. Among any limit + 1 requests, the last
 * was granted a slot only after one of the others released its own, a window after the server
 * had that one. Bottleneck records every slot in Redis with an expiration (`leaseMs`), so Redis
 * reclaims the slots of a process that died by itself; and releasing a slot that Redis no longer
 * knows (after a reset) changes nothing.
 */
export class RedisLimiter implements Limiter {
  readonly #backend: RedisBackend;
  readonly #key: LimiterKey;
  readonly #id: string;
  readonly #fallback: () => Limiter;
  readonly #calls = new Set<Call>();
  /** Bottleneck jobs by id, while they may run. */
  readonly #jobs = new Map<string, Promise<unknown>>();
  /** Jobs whose request started: they end once Redis has their slot back. */
  readonly #holding = new Set<Promise<unknown>>();
  readonly #grantedAt = new Map<string, number>();
  #lastRegisterAt: number | undefined;
  #bottleneck: { generation: number; instance: Bottleneck } | undefined;
  #nextJob = 0;
  #running = 0;
  #closed = false;

  /** `id` names the budget in Redis: prefix, token hash and method class. */
  constructor(backend: RedisBackend, key: LimiterKey, id: string, fallback: () => Limiter) {
    this.#backend = backend;
    this.#key = key;
    this.#id = id;
    this.#fallback = fallback;
    backend.subscribe(() => this.#pump());
  }

  schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<T>((resolve, reject) => {
      const call: Call = {
        task,
        resolve: resolve as (value: unknown) => void,
        reject,
        signal,
        onAbort: () => this.#settle(call, signal?.reason),
        state: "waiting",
        job: undefined,
        deadline: undefined,
      };
      signal?.addEventListener("abort", call.onAbort, { once: true });
      this.#calls.add(call);
      if (this.#closed) return this.#settle(call, this.#backend.failure());
      this.#backend.start();
      this.#pump();
    });
  }

  counts(): LimiterCounts {
    return { queued: this.#calls.size, running: this.#running };
  }

  /**
   * Rejects calls that have not started, waits until started ones have given their slots back
   * to Redis (so other processes need not wait for the lease), then leaves Redis.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const call of this.#calls) this.#settle(call, this.#backend.failure());
    const limit = this.#key.windowMs + this.#backend.options.timeoutMs;
    await Promise.race([
      Promise.allSettled([...this.#holding]),
      new Promise((resolve) => setTimeout(resolve, limit).unref?.()),
    ]);
    const instance = this.#bottleneck?.instance;
    this.#bottleneck = undefined;
    await this.#leave(instance);
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
   * Bottleneck granted a slot to `job`: send the request, and hold the slot until a window after
   * it ended — the server received it no later than that (the in-process limiter does the same).
   */
  #granted(call: Call, job: string): Promise<void> {
    const grantedAt = this.#grantedAt.get(job);
    this.#grantedAt.delete(job);
    if (call.state !== "queued" || call.job !== job) return Promise.resolve(); // abandoned: slot straight back
    const { leaseMs } = this.#backend.options;
    const late =
      grantedAt !== undefined && Date.now() - grantedAt > (leaseMs - this.#key.windowMs) * LATE_START_SHARE;
    if (this.#backend.state !== "up" || late) {
      call.state = "waiting";
      call.job = undefined;
      this.#pump();
      return Promise.resolve();
    }
    const held = this.#start(call).then(
      () => new Promise<void>((resolve) => setTimeout(resolve, this.#key.windowMs).unref?.()),
    );
    // Bottleneck's job settles after it told Redis the slot is free.
    const released = (this.#jobs.get(job) ?? held).catch(() => undefined);
    this.#holding.add(released);
    void released.finally(() => this.#holding.delete(released));
    return held;
  }

  /** Runs the call's task; resolves (never rejects) once it has settled. */
  #start(call: Call): Promise<void> {
    call.signal?.removeEventListener("abort", call.onAbort);
    this.#calls.delete(call);
    call.state = "started";
    this.#running += 1;
    return call
      .task()
      .then(call.resolve, call.reject)
      .finally(() => {
        this.#running -= 1;
      });
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
      .schedule(() => (call.state === "local" ? this.#start(call) : Promise.resolve()), call.signal)
      .catch((error: unknown) => this.#settle(call, error));
  }

  /** Rejects a call that has not started. */
  #settle(call: Call, error: unknown): void {
    if (call.state === "started" || call.state === "settled") return;
    clearTimeout(call.deadline);
    call.signal?.removeEventListener("abort", call.onAbort);
    call.state = "settled";
    this.#calls.delete(call);
    call.reject(error);
  }

  /** This generation's Bottleneck instance: one per budget, sharing the backend's connection. */
  #instance(): Bottleneck {
    const backend = this.#backend;
    if (this.#bottleneck?.generation === backend.generation) return this.#bottleneck.instance;
    void this.#leave(this.#bottleneck?.instance);
    const { options } = backend;
    const instance = new Bottleneck({
      id: this.#id,
      datastore: "ioredis",
      connection: backend.connection as unknown as Bottleneck.IORedisConnection,
      maxConcurrent: this.#key.limit,
      minTime: 0,
      timeout: options.keyTtlMs,
      heartbeatInterval: HEARTBEAT_MS,
      clientTimeout: CLIENT_TIMEOUT_MS,
    } as Bottleneck.ConstructorOptions);
    instance.on("error", (error) => backend.report(error));
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
    this.#bottleneck = { generation: backend.generation, instance };
    return instance;
  }
}
