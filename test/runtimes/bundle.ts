/**
 * Bundles for the runtime tests with esbuild, as an app would: no externals, every warning
 * returned so the tests can require none.
 */
import { build, type Message } from "esbuild";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface Bundle {
  code: string;
  warnings: Message[];
}

/** Bundles `contents` (a module in `resolveDir`) for `platform`, minified or not, in memory. */
export async function bundle(
  contents: string,
  options: {
    platform: "node" | "browser" | "neutral";
    format: "esm" | "iife";
    minify?: boolean;
    resolveDir?: string;
  },
): Promise<Bundle> {
  const result = await build({
    stdin: {
      contents,
      resolveDir: options.resolveDir ?? fileURLToPath(new URL(".", import.meta.url)),
      loader: "ts",
    },
    bundle: true,
    write: false,
    platform: options.platform,
    format: options.format,
    minify: options.minify ?? false,
    // What the runtimes run (ES2022: top-level await in the scripts, class fields).
    target: "es2022",
    // `neutral` resolves no `main`; packages here are ESM with `exports`, or `main` CommonJS.
    mainFields: options.platform === "neutral" ? ["module", "main"] : undefined,
    logLevel: "silent",
  });
  return { code: result.outputFiles[0]!.text, warnings: result.warnings };
}
