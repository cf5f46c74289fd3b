import type { Redis as IORedis } from "ioredis";
import { AstroConfigError } from "../../errors/error-classes.js";
import { patchForRedis7 } from "./compat.js";
import { AstroRedisError } from "./error.js";
import {
  importIORedis,
  loadBottleneck,
  loadIORedis,
  type BottleneckModule,
  type IORedisConstructor,
  type RedisLoader,
} from "./loader.js";
import type { ResolvedRedisOptions } from "./options.js";
import { safeMessage } from "./url.js";

// Over 250 lines because it is one state machine (the states below) over one connection: connecting,
// the quarantine after a (re)connection, falling back and coming back, closing. Each transition
// reads and sets the same few fields and notifies the same listeners; split, each part would need
// all of them. The parts that stand alone are in their own files (loader, compat, url, error).

/**
 * - `idle`: not used yet (nothing connects before the first call).
 * - `connecting`: the first connection (or a new one after a failed start) is being made.
 * - `quarantine`: connected, waiting out one window before granting units (see `#regained`).
 * - `up`: budgets are shared through Redis.
 * - `down`: Redis cannot be used now.
 * - `closed`: `close()` was called.
 */
export type BackendState = "idle" | "connecting" | "quarantine" | "up" | "down" | "closed";

/** Where the backend reports what a person should know: a fallback, a recovery. */
export interface RedisNotices {
  warn(message: string): void;
  info(message: string): void;
}

/** Bottleneck's IORedisConnection, with the members its typings leave out. */
interface Connection {
  ready: Promise<unknown>;
  /** Once set, Bottleneck's limiters leave without unsubscribing (the subscriber is closing). */
  terminated: boolean;
  client: IORedis;
  subscriber: IORedis;
  on(name: "error", listener: (error: unknown) => void): void;
}

const RECONNECT_CAP_MS = 500;
const RETRY_AFTER_FAILURE_MS = 5000;

/** A promise that rejects after `ms` (for racing a Redis command), and its cancel. */
export function timeout(ms: number): { promise: Promise<never>; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Resolves when `client` is ready; rejects if it ends first. */
function whenReady(client: IORedis): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      client.off("end", onEnd);
      resolve();
    };
    const onEnd = () => {
      client.off("ready", onReady);
      reject(new Error("the connection was closed"));
    };
    client.once("ready", onReady);
    client.once("end", onEnd);
  });
}

/**
 * One client's connection to the Redis of `throttle.redis`: connects at the first call, watches
 * the connection, and tells the limiters when Redis can be used and when it cannot.
 */
export class RedisBackend {
  readonly options: ResolvedRedisOptions;
  readonly #notices: RedisNotices;
  readonly #load: RedisLoader;
  #state: BackendState = "idle";
  #listeners = new Set<() => void>();
  #client: IORedis | undefined;
  #connection: Connection | undefined;
  #bottleneck: BottleneckModule | undefined;
  #generation = 0;
  /** A connection was made once: ioredis reconnects by itself from then on. */
  #established = false;
  #attempt: Promise<void> | undefined;
  #failure: Error | undefined;
  #quarantine: ReturnType<typeof setTimeout> | undefined;
  #lastError: string | undefined;
  #fellBack = false;
  #notifying = false;
  #lastFailureAt = 0;
  #unwatch: (() => void) | undefined;

  constructor(options: ResolvedRedisOptions, notices: RedisNotices, load?: RedisLoader) {
    this.options = options;
    this.#notices = notices;
    this.#load = load ?? importIORedis;
  }

  get state(): BackendState {
    return this.#state;
  }

  /** Changes each time a new connection is made: limiters then make new Bottleneck instances. */
  get generation(): number {
    return this.#generation;
  }

  /** Bottleneck's connection, once up. */
  get connection(): Connection | undefined {
    return this.#connection;
  }

  /** Bottleneck, loaded with the first connection (set whenever `connection` is). */
  get Bottleneck(): BottleneckModule | undefined {
    return this.#bottleneck;
  }

  /** The last attempt failed for a reason no retry can fix (ioredis missing). */
  get configError(): boolean {
    return this.#failure instanceof AstroConfigError;
  }

  /** Whether this client already fell back to the local limiter in the current outage. */
  get fellBack(): boolean {
    return this.#fellBack;
  }

  /** Whether Redis may yet become usable without a new call asking: an attempt or ioredis' reconnection is under way. */
  get recovering(): boolean {
    if (this.#state === "connecting" || this.#state === "quarantine") return true;
    return this.#state === "down" && this.#established && !(this.#failure instanceof AstroConfigError);
  }

  /** Calls `listener` on every change of state. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Starts connecting if nothing is under way: at the first call, or after a failed start (then,
   * when falling back to the local limiter, at most once per `RETRY_AFTER_FAILURE_MS`).
   */
  start(): void {
    if (this.#state === "closed" || this.#attempt || this.#established) return;
    if (this.#failure instanceof AstroConfigError) return;
    if (this.options.onRedisError === "local" && Date.now() - this.#lastFailureAt < RETRY_AFTER_FAILURE_MS)
      return;
    this.#attempt = this.#connect().finally(() => {
      this.#attempt = undefined;
    });
  }

  /** Why Redis cannot be used now, as the error a call rejects with. */
  failure(waitedMs?: number): Error {
    if (this.#failure instanceof AstroConfigError) return this.#failure;
    const { display } = this.options.target;
    if (this.#state === "closed") {
      return new AstroRedisError(
        `throttle.redis: the client was closed (${display}); the request was not sent`,
        display,
      );
    }
    const why = this.#lastError ? ` (${this.#lastError})` : "";
    const what = this.#established ? "lost the connection to" : "could not connect to";
    const waited = waitedMs === undefined ? "" : ` within ${waitedMs} ms`;
    return new AstroRedisError(
      `throttle.redis: ${what} ${display}${waited}${why}; the request was not sent. ` +
        `Check that Redis is reachable, or set throttle.onRedisError: "local" to fall back to the in-process limiter`,
      display,
    );
  }

  /** The connection looks broken to a caller (a command failed with it): treat it as lost. */
  checkConnection(): void {
    const client = this.#connection?.client;
    const subscriber = this.#connection?.subscriber;
    if (client && subscriber && (client.status !== "ready" || subscriber.status !== "ready")) this.#lost();
  }

  /** An error Bottleneck reported; a command that timed out means a silent connection: reconnect. */
  report(error: unknown): void {
    this.#lastError = safeMessage(error, this.options.target.secrets);
    if (/Command timed out/i.test(this.#lastError) && this.options.url !== undefined) {
      this.#connection?.client.disconnect(true);
    }
  }

  /** Stops granting: calls not started yet reject, new ones too. The connection stays open for `disconnect`. */
  stop(): void {
    if (this.#state === "closed") return;
    if (this.#connection) this.#connection.terminated = true;
    this.#setState("closed");
    clearTimeout(this.#quarantine);
    this.#unwatch?.();
  }

  /** Closes what this backend opened: the pub/sub duplicate, and the client if it made it (never one that was given). */
  disconnect(): void {
    this.stop();
    const connection = this.#connection;
    this.#connection = undefined;
    this.#disconnect(connection, this.#client);
    this.#client = undefined;
  }

  /** A method, not a field read, so TypeScript does not narrow it across awaits. */
  #closed(): boolean {
    return this.#state === "closed";
  }

  #setState(state: BackendState): void {
    if (this.#state === state) return;
    this.#state = state;
    if (this.#notifying) return;
    // Listeners run after the current call stack, so a limiter never re-enters itself.
    this.#notifying = true;
    queueMicrotask(() => {
      this.#notifying = false;
      for (const listener of [...this.#listeners]) listener();
    });
  }

  async #connect(): Promise<void> {
    const { options } = this;
    this.#setState("connecting");
    let client: IORedis | undefined;
    let connection: Connection | undefined;
    try {
      let Redis: IORedisConstructor;
      if (options.client) {
        client = options.client as unknown as IORedis;
        Redis = client.constructor as IORedisConstructor;
      } else {
        Redis = await loadIORedis(this.#load);
        client = new Redis(options.url as string, {
          connectTimeout: options.timeoutMs,
          commandTimeout: options.timeoutMs,
          // Commands issued while the connection is down fail soon instead of queueing for long.
          maxRetriesPerRequest: 1,
          retryStrategy: (times: number) => Math.min(50 * times, RECONNECT_CAP_MS),
        }) as IORedis;
        client.on("error", (error: unknown) => {
          this.#lastError = safeMessage(error, options.target.secrets);
        });
      }
      const Bottleneck = (this.#bottleneck ??= await loadBottleneck());
      if (this.#closed()) throw new Error("closed");
      this.#client = client;
      const limit = timeout(options.timeoutMs);
      try {
        await Promise.race([whenReady(client), limit.promise]);
        connection = new Bottleneck.IORedisConnection({ client, Redis }) as unknown as Connection;
        patchForRedis7(connection);
        connection.on("error", (error) => {
          this.#lastError = safeMessage(error, options.target.secrets);
        });
        await Promise.race([connection.ready, limit.promise]);
      } finally {
        limit.cancel();
      }
      // After requests went through the local fallback, a full window must pass, as after a reconnect.
      const quarantineMs = this.#fellBack ? options.windowMs : await this.#startupQuarantine(client);
      if (this.#closed()) throw new Error("closed");
      this.#connection = connection;
      this.#generation += 1;
      this.#established = true;
      this.#failure = undefined;
      this.#unwatch = this.#watch(connection);
      this.#enterQuarantine(quarantineMs);
    } catch (error) {
      if (this.#closed()) {
        this.#disconnect(connection, client);
        return;
      }
      if (error instanceof AstroConfigError) {
        this.#failure = error;
      } else {
        this.#lastError ??= safeMessage(error, options.target.secrets);
        this.#failure = this.failure(options.timeoutMs);
      }
      // Nothing keeps retrying in the background: a later call starts a new attempt.
      this.#disconnect(connection, client);
      this.#client = undefined;
      this.#lastFailureAt = Date.now();
      this.#goDown();
    }
  }

  /**
   * A Redis that restarted less than a window ago has forgotten units granted just before: wait
   * out the rest of that window before granting new ones (`uptime_in_seconds` is rounded down).
   */
  async #startupQuarantine(client: IORedis): Promise<number> {
    const limit = timeout(this.options.timeoutMs);
    try {
      const info = await Promise.race([client.info("server"), limit.promise]);
      const uptime = Number(/uptime_in_seconds:(\d+)/.exec(info)?.[1]);
      if (Number.isFinite(uptime)) return Math.max(0, this.options.windowMs - uptime * 1000);
    } catch {
      // INFO may be forbidden by ACLs: assume a fresh Redis.
    } finally {
      limit.cancel();
    }
    return this.options.windowMs;
  }

  #enterQuarantine(ms: number): void {
    clearTimeout(this.#quarantine);
    if (ms <= 0) return this.#goUp();
    this.#setState("quarantine");
    this.#quarantine = setTimeout(() => this.#goUp(), ms);
    this.#quarantine.unref?.();
  }

  #goUp(): void {
    if (this.#state === "closed") return;
    if (this.#fellBack) {
      this.#fellBack = false;
      this.#notices.info(
        `astro: throttle.redis ${this.options.target.display} is back; sharing rate limits through it again`,
      );
    }
    this.#setState("up");
  }

  #goDown(): void {
    if (
      this.options.onRedisError === "local" &&
      !this.#fellBack &&
      !(this.#failure instanceof AstroConfigError)
    ) {
      this.#fellBack = true;
      this.#notices.warn(
        `astro: throttle.redis ${this.options.target.display} cannot be used${this.#lastError ? ` (${this.#lastError})` : ""}; ` +
          `falling back to the in-process limiter, so processes sharing this token no longer share its budget until Redis is back`,
      );
    }
    this.#setState("down");
  }

  /** Connection lost: calls stop using Redis until ioredis has reconnected and a window has passed. */
  #lost(): void {
    if (this.#state !== "up" && this.#state !== "quarantine") return;
    this.#lastError = "the connection was closed";
    clearTimeout(this.#quarantine);
    this.#goDown();
  }

  /**
   * Reconnected. Redis may have restarted and forgotten the units granted in the last window, and
   * this process may have sent requests through the local fallback meanwhile: only after a full
   * window can no such request share a window with one granted now.
   */
  #regained(): void {
    const connection = this.#connection;
    if (this.#state !== "down" || !connection) return;
    if (connection.client.status !== "ready" || connection.subscriber.status !== "ready") return;
    this.#enterQuarantine(this.options.windowMs);
  }

  #watch(connection: Connection): () => void {
    const lost = () => this.#lost();
    const regained = () => this.#regained();
    const clients = [connection.client, connection.subscriber];
    for (const client of clients) {
      client.on("close", lost);
      client.on("end", lost);
      client.on("ready", regained);
    }
    return () => {
      for (const client of clients) {
        client.off("close", lost);
        client.off("end", lost);
        client.off("ready", regained);
      }
    };
  }

  /** Closes what this backend opened: the subscriber always, the command client only if it made it. */
  #disconnect(connection: Connection | undefined, client: IORedis | undefined): void {
    const own = this.options.url !== undefined;
    if (connection) {
      connection.terminated = true;
      connection.subscriber.disconnect();
    }
    if (own) client?.disconnect();
  }
}
