/**
 * Loading what only some calls need, in a way bundlers do not follow.
 *
 * Why: the core runs on every runtime (Node, Bun, Deno, browsers, edge workers), and a bundler
 * resolves every `import("literal")` it sees: an optional peer that is not installed, or a Node
 * built-in on `--platform=browser`, then fails the build of an app that never calls the feature.
 * A specifier held in a variable is left to the runtime, which loads it when the call needs it.
 */
import { AstroConfigError } from "../errors/error-classes.js";

/**
 * Imports a package by name at run time (an optional peer such as `tar` or `ioredis`, or
 * `bottleneck`), resolved from the app's `node_modules` even when the app itself is bundled.
 */
export function importPackage(name: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ name) as Promise<unknown>;
}

/** Whether `error` says a module is not installed (ESM and CommonJS codes), rather than broken. */
export function isMissingModule(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

/** The part of `process` that loads built-in modules (Node ≥ 20.16, Bun, Deno). */
interface BuiltinLoader {
  getBuiltinModule?: (id: string) => unknown;
}

/** A Node built-in module where the runtime has one (Node, Bun, Deno), else `undefined`. */
export function optionalNodeBuiltin<Module>(id: `node:${string}`): Module | undefined {
  const process = (globalThis as { process?: BuiltinLoader }).process;
  return process?.getBuiltinModule?.(id) as Module | undefined;
}

/**
 * A Node built-in module (`node:fs/promises`, `node:path`…), for the features that need the file
 * system; on a runtime without one, an `AstroConfigError` that says what `feature` needs.
 */
export function nodeBuiltin<Module>(id: `node:${string}`, feature: string): Module {
  const module = optionalNodeBuiltin<Module>(id);
  if (module === undefined) {
    throw new AstroConfigError(
      `${feature} needs ${id}, which this runtime does not have: it runs on Node.js, Bun and Deno`,
    );
  }
  return module;
}
