/**
 * Bundles for the runtime tests with esbuild, as an app would: no externals, every warning
 * returned so the tests can require none.
 */
import { build, type Message, type OutputFile } from "esbuild";
import { relative } from "node:path";
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

/** What `--splitting --format=esm` makes of a script: what it loads before its first call, and the rest. */
export interface SplitBundle {
  /** The entry chunk and every chunk it imports statically, by file name. */
  loaded: Record<string, string>;
  /** Chunks only reached through `import()`, by file name. */
  lazy: Record<string, string>;
  warnings: Message[];
}

/**
 * Bundles `contents` (a module in `resolveDir`) for browsers with code splitting, minified, in
 * memory, as an app's bundler would.
 */
export async function bundleSplit(
  contents: string,
  resolveDir = fileURLToPath(new URL(".", import.meta.url)),
): Promise<SplitBundle> {
  const result = await build({
    stdin: { contents, resolveDir, loader: "ts" },
    bundle: true,
    write: false,
    platform: "browser",
    format: "esm",
    splitting: true,
    outdir: "/split",
    minify: true,
    target: "es2022",
    metafile: true,
    logLevel: "silent",
  });
  const outputs = result.metafile.outputs;
  // The metafile names outputs relative to the working directory.
  const files = new Map<string, OutputFile>(
    result.outputFiles.map((file) => [relative(process.cwd(), file.path), file]),
  );
  const entry = Object.keys(outputs).find((name) => outputs[name]!.entryPoint !== undefined)!;
  const loaded = new Set<string>();
  const visit = (name: string) => {
    if (loaded.has(name)) return;
    loaded.add(name);
    for (const imported of outputs[name]!.imports)
      if (imported.kind === "import-statement" && imported.path in outputs) visit(imported.path);
  };
  visit(entry);
  const texts = (names: string[]) => Object.fromEntries(names.map((name) => [name, files.get(name)!.text]));
  return {
    loaded: texts([...loaded]),
    lazy: texts(Object.keys(outputs).filter((name) => !loaded.has(name))),
    warnings: result.warnings,
  };
}
