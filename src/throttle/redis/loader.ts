import { importPackage, isMissingModule } from "../../internal/unbundled-import.js";
import { AstroConfigError } from "../../errors/error-classes.js";

/** The ioredis constructor, as far as this SDK uses it. */
export type IORedisConstructor = new (url: string, options: Record<string, unknown>) => unknown;

/** Loads ioredis; replaceable in tests to simulate a missing package. */
export type RedisLoader = () => Promise<unknown>;

/**
 * ioredis is an optional peer dependency: loaded only when `throttle.redis` is used, by a name
 * bundlers do not resolve (an app that never shares budgets bundles without it).
 */
export const importIORedis: RedisLoader = () => importPackage("ioredis");

/** Bottleneck's constructor (with `IORedisConnection`), as this SDK uses it. */
export type BottleneckModule = typeof import("bottleneck").default;

/**
 * Bottleneck (about 60 kB, a quarter of the SDK's import time) serves only `throttle.redis`:
 * loaded with ioredis when the first call connects, never by the in-process throttle.
 */
export async function loadBottleneck(): Promise<BottleneckModule> {
  // CommonJS: its `module.exports` is the `default` of the namespace (Node, Bun, Deno alike).
  const module = (await importPackage("bottleneck")) as { default?: BottleneckModule };
  return module.default ?? (module as BottleneckModule);
}

/** Loads ioredis, or explains how to install it. */
export async function loadIORedis(load: RedisLoader = importIORedis): Promise<IORedisConstructor> {
  let module: unknown;
  try {
    module = await load();
  } catch (error) {
    const why = isMissingModule(error)
      ? "it is not installed"
      : `loading it failed (${(error as Error)?.message ?? String(error)})`;
    throw new AstroConfigError(
      `throttle.redis needs the ioredis package, but ${why}: run \`npm install ioredis\` (ioredis 5 or later)`,
    );
  }
  const candidate = module as { default?: unknown; Redis?: unknown };
  const Redis = typeof candidate.Redis === "function" ? candidate.Redis : candidate.default;
  if (typeof Redis !== "function") {
    throw new AstroConfigError("throttle.redis needs ioredis 5 or later: run `npm install ioredis@5`");
  }
  return Redis as IORedisConstructor;
}
