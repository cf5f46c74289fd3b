import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { AstroConfigError, createAstroClient } from "../../../src/index.js";
import { Throttle, type ThrottleOptions } from "../../../src/throttle/throttle.js";
import { describeRedisUrl } from "../../../src/throttle/redis/url.js";
import { rejection } from "../../helpers/client.js";

const PASSWORD = "s3cr%40t-pw";

function configError(options: ThrottleOptions): AstroConfigError {
  try {
    new Throttle(options);
  } catch (error) {
    expect(error).toBeInstanceOf(AstroConfigError);
    return error as AstroConfigError;
  }
  throw new Error("expected an AstroConfigError");
}

describe("throttle.redis options", () => {
  it("need exactly one of url or client", () => {
    expect(configError({ redis: {} }).message).toMatch(/exactly one of url .* or client/);
    expect(
      configError({ redis: { url: "redis://127.0.0.1", client: new Redis({ lazyConnect: true }) } }).message,
    ).toMatch(/exactly one of/);
  });

  it("reject a URL that is not redis:// or rediss:// without echoing it (it may hold a password)", () => {
    for (const url of [`http://:${PASSWORD}@127.0.0.1`, `not a url ${PASSWORD}`, "redis://"]) {
      const error = configError({ redis: { url } });
      expect(error.message).toContain("throttle.redis.url must be a redis:// or rediss:// URL");
      expect(error.message).not.toContain(PASSWORD);
    }
  });

  it("reject a client that is not an ioredis client", () => {
    expect(configError({ redis: { client: {} as never } }).message).toContain("must be an ioredis client");
  });

  it("reject prefix and onRedisError without redis, and bad values with it", () => {
    expect(configError({ prefix: "x" }).message).toContain("throttle.prefix applies to shared limits only");
    expect(configError({ onRedisError: "local" }).message).toContain("throttle.onRedisError applies");
    const redis = { url: "redis://127.0.0.1:6379" };
    expect(configError({ redis, prefix: "has space" }).message).toContain("throttle.prefix must be");
    expect(configError({ redis, onRedisError: "ignore" as never }).message).toContain('"throw" or "local"');
    expect(configError({ redis: { ...redis, timeoutMs: 0 } }).message).toContain("throttle.redis.timeoutMs");
    expect(configError({ redis: { ...redis, reclaimAfterMs: 1500 } }).message).toContain(
      "throttle.redis.reclaimAfterMs must be a number of milliseconds ≥ 2005",
    );
    // Keys must outlive every unit they hold.
    expect(configError({ redis: { ...redis, reclaimAfterMs: 8000, keyTtlMs: 7000 } }).message).toContain(
      "throttle.redis.keyTtlMs must be a number of milliseconds ≥ 8000",
    );
  });

  it("fail at construction through createAstroClient too", () => {
    expect(() => createAstroClient({ token: "t", throttle: { redis: { url: "http://x" } } })).toThrow(
      AstroConfigError,
    );
  });

  it("accept an ioredis client as it is typed (no cast)", () => {
    const client = new Redis({ lazyConnect: true });
    const options: ThrottleOptions = { redis: { client } };
    expect(() => new Throttle(options)).not.toThrow();
    client.disconnect();
  });

  it("describe a URL with its password replaced, raw and percent-decoded forms both listed as secrets", () => {
    const target = describeRedisUrl(`redis://user:${PASSWORD}@127.0.0.1:6379/2`);
    expect(target?.display).toBe("redis://user:***@127.0.0.1:6379/2");
    expect(target?.secrets).toEqual(expect.arrayContaining([PASSWORD, "s3cr@t-pw"]));
    expect(describeRedisUrl("redis://127.0.0.1:6379")).toEqual({
      display: "redis://127.0.0.1:6379",
      secrets: [],
    });
  });
});

describe("without ioredis installed", () => {
  // A real failed import of a package that is not there, in place of `import("ioredis")`.
  const missing = "ioredis-not-installed-for-this-test";
  const loadRedis = () => import(missing);

  for (const onRedisError of ["throw", "local"] as const) {
    it(`the first call rejects with an AstroConfigError that says to npm install ioredis (onRedisError: ${onRedisError})`, async () => {
      const throttle = new Throttle({ redis: { url: "redis://127.0.0.1:1" }, onRedisError }, { loadRedis });
      let ran = false;
      const error = await rejection(
        throttle.run("0123456789abcdef", "get", async () => {
          ran = true;
        }),
      );
      expect(error).toBeInstanceOf(AstroConfigError);
      expect(error.message).toContain("throttle.redis needs the ioredis package, but it is not installed");
      expect(error.message).toContain("npm install ioredis");
      expect(ran).toBe(false);
      // A later call says the same at once: a missing package is not an outage to wait out.
      const again = await rejection(throttle.run("0123456789abcdef", "post", async () => 1));
      expect(again.message).toContain("npm install ioredis");
      await throttle.close();
    });
  }
});
