/**
 * Bottleneck 2.19.5 (its last release) on Redis 7.
 *
 * Bottleneck's Lua scripts signal two recoverable states with `redis.error_reply(...)`: the budget's
 * keys are gone (`SETTINGS_KEY_NOT_FOUND`: they expired after `timeout` idle, or Redis restarted)
 * and this process was dropped as unresponsive (`UNKNOWN_CLIENT`). `RedisDatastore.runScript`
 * recovers from them — re-creating the settings, re-registering the client — only when the error
 * message equals the code exactly. Since Redis 7 a script's error reply without an error code is
 * prefixed with `ERR `, so the comparison never matches: every later call rejects with
 * `ERR SETTINGS_KEY_NOT_FOUND` for good, and the heartbeat reports one every interval
 * (SGrondin/bottleneck#205, #212, #219; reproduced by test/src/throttle/redis-bottleneck.test.ts).
 *
 * The fix wraps the reply callback of Bottleneck's script calls on our connection and strips that
 * prefix from these two codes, so Bottleneck's own recovery runs again. Nothing else changes.
 */

const RECOVERABLE = /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/;

type ScriptCallback = (error: Error | null, replies: unknown) => void;

/** The internal method of Bottleneck.IORedisConnection that builds a script call's arguments. */
interface ScriptArgsHost {
  __scriptArgs__(name: string, id: string, args: unknown[], callback: ScriptCallback): unknown[];
}

/** Restores Bottleneck's recovery from expired keys and dropped clients on Redis 7. Idempotent. */
export function patchForRedis7(connection: object): void {
  const host = connection as ScriptArgsHost & { __astroPatched__?: true };
  if (host.__astroPatched__) return;
  if (typeof host.__scriptArgs__ !== "function") {
    throw new Error(
      "Bottleneck's IORedisConnection changed: __scriptArgs__ is missing (expected bottleneck 2.19.x)",
    );
  }
  const original = host.__scriptArgs__.bind(host);
  host.__scriptArgs__ = (name, id, args, callback) =>
    original(name, id, args, (error, replies) => {
      if (error && RECOVERABLE.test(error.message)) error.message = error.message.slice("ERR ".length);
      callback(error, replies);
    });
  host.__astroPatched__ = true;
}
