/**
 * Keeps the Redis limiter out of browser and edge-worker bundles of the package (issue #27).
 *
 * tsup puts `throttle.redis`'s code (src/throttle/redis/, loaded by `import()` at its first use)
 * in a lazy chunk of its own, `redis-<hash>.js` and `.cjs`. A bundler follows that `import()` and
 * inlines the chunk, so every browser or worker app carried it, though Redis needs TCP
 * connections those runtimes do not have. This step gives the chunks fixed names and makes the
 * `import()` name them through the package's `imports` map (package.json), which sends the
 * `browser`, `worker` and `edge-light` conditions to a stub instead:
 *
 *   import("./redis-<hash>.js")   →  import("#redis-limiters")      →  redis-limiters.js | redis-unavailable.js
 *   import('./redis-<hash>.cjs')  →  import("#redis-limiters-cjs")  →  redis-limiters.cjs | redis-unavailable.cjs
 *
 * The CommonJS build has a name of its own: `import()` resolves with the `import` condition even
 * from a CommonJS file, and the CommonJS build must load its own copy (its error classes). The
 * stub exports only `unavailable`, which src/throttle/lazy-redis.ts turns into an
 * `AstroConfigError` at the first call.
 */
import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The specifier each build's `import()` of the limiter uses, and the files package.json maps it to. */
export const REDIS_IMPORTS = {
  js: { specifier: "#redis-limiters", real: "redis-limiters.js", stub: "redis-unavailable.js" },
  cjs: { specifier: "#redis-limiters-cjs", real: "redis-limiters.cjs", stub: "redis-unavailable.cjs" },
} as const;

/** The runtimes named in the stub's error, for the conditions that select it. */
const STUB_RUNTIMES = "browsers and edge workers";

const STUB_TEXT = {
  js: `export const unavailable = ${JSON.stringify(STUB_RUNTIMES)};\n`,
  cjs: `"use strict";\nexports.unavailable = ${JSON.stringify(STUB_RUNTIMES)};\n`,
};

/** The lazy chunk tsup made of src/throttle/redis/index.ts: `redis-<hash>.<ext>`. */
const HASHED_CHUNK = { js: /^redis-[A-Z0-9]+\.js$/, cjs: /^redis-[A-Z0-9]+\.cjs$/ };

/**
 * Renames the Redis chunks of `dir` (a fresh tsup build), points the one `import()` of each at the
 * package's `imports` map, and writes the stubs. Throws when the build is not shaped as expected
 * (no chunk, several, or not exactly one importer), rather than publish a package that would
 * load the limiter in browsers or not at all.
 */
export async function mapRedisChunks(dir: string): Promise<void> {
  const names = await readdir(dir);
  for (const ext of ["js", "cjs"] as const) {
    const { specifier, real, stub } = REDIS_IMPORTS[ext];
    const chunks = names.filter((name) => HASHED_CHUNK[ext].test(name));
    if (chunks.length !== 1)
      throw new Error(`expected one Redis chunk dist/redis-<hash>.${ext}, found ${chunks.length}`);
    const chunk = chunks[0]!;
    const quoted = new RegExp(`(['"])\\./${chunk.replace(".", "\\.")}\\1`, "g");
    let importers = 0;
    for (const name of names) {
      if (!name.endsWith(`.${ext}`) || name === chunk) continue;
      const file = join(dir, name);
      const text = await readFile(file, "utf8");
      const mapped = text.replace(quoted, () => {
        importers++;
        return JSON.stringify(specifier);
      });
      if (mapped !== text) await writeFile(file, mapped);
    }
    if (importers !== 1) throw new Error(`expected one import of dist/${chunk}, found ${importers}`);
    await rename(join(dir, chunk), join(dir, real));
    await writeFile(join(dir, stub), STUB_TEXT[ext]);
  }
}
