/**
 * What the SDK's types cost a consumer's `tsc --noEmit`: a project whose `node_modules` links to
 * this package (built: `npm run build` first) type-checks three files, each on its own, several
 * times in alternation —
 *
 *   empty      `export {}`: TypeScript's own start-up and lib files, the baseline
 *   import     imports the package and creates a client: loading its declarations
 *   20 calls   bench/fixtures/typical-calls.ts: twenty typical typed calls
 *
 * and reports the median wall time of each and the differences from the baseline.
 *
 *   npx tsx bench/typecheck-cost.ts
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { isMain, median, runSection } from "./lib/section.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const exec = promisify(execFile);

const FILES = {
  empty: "export {};\n",
  import:
    'import { createAstroClient } from "astro-api-client";\n' +
    'export const astro = createAstroClient({ token: "t" });\n',
} as const;

export type Variant = "empty" | "import" | "calls";

export interface TypecheckResult {
  runs: number;
  /** Median wall time of `tsc --noEmit -p` per variant, ms. */
  wallMs: Record<Variant, number>;
  /** Median "Check time" from --extendedDiagnostics per variant, ms. */
  checkMs: Record<Variant, number>;
  typescript: string;
}

export async function measureTypecheck(runs = 5): Promise<TypecheckResult> {
  if (!existsSync(join(ROOT, "dist", "index.d.ts"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm run bench does)");
  }
  const dir = await mkdtemp(join(tmpdir(), "astro-typecheck-"));
  try {
    await mkdir(join(dir, "node_modules"));
    await symlink(ROOT, join(dir, "node_modules", "astro-api-client"), "dir");
    await symlink(join(ROOT, "node_modules", "@types"), join(dir, "node_modules", "@types"), "dir");
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "consumer", type: "module" }));
    await writeFile(join(dir, "empty.ts"), FILES.empty);
    await writeFile(join(dir, "import.ts"), FILES.import);
    await copyFile(join(ROOT, "bench", "fixtures", "typical-calls.ts"), join(dir, "calls.ts"));
    for (const variant of ["empty", "import", "calls"] as const) {
      const compilerOptions = {
        module: "node16",
        moduleResolution: "node16",
        target: "es2022",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ["node"],
      };
      await writeFile(
        join(dir, `tsconfig.${variant}.json`),
        JSON.stringify({ compilerOptions, files: [`${variant}.ts`] }),
      );
    }

    const wall: Record<Variant, number[]> = { empty: [], import: [], calls: [] };
    const check: Record<Variant, number[]> = { empty: [], import: [], calls: [] };
    for (let i = 0; i < runs; i++) {
      for (const variant of ["empty", "import", "calls"] as const) {
        const started = performance.now();
        const { stdout } = await exec(
          process.execPath,
          [TSC, "-p", `tsconfig.${variant}.json`, "--extendedDiagnostics"],
          { cwd: dir },
        ).catch((error: unknown) => {
          // execFile's error carries the child's output: tsc writes its diagnostics to stdout.
          const { stdout } = error as { stdout?: string };
          throw new Error(`tsc found errors in the ${variant} consumer:\n${stdout ?? String(error)}`);
        });
        wall[variant].push(performance.now() - started);
        check[variant].push(Number(/^Check time:\s+([\d.]+)s$/m.exec(stdout)?.[1] ?? NaN) * 1000);
      }
    }
    const { stdout: version } = await exec(process.execPath, [TSC, "--version"]);
    return {
      runs,
      wallMs: { empty: median(wall.empty), import: median(wall.import), calls: median(wall.calls) },
      checkMs: { empty: median(check.empty), import: median(check.import), calls: median(check.calls) },
      typescript: version.trim(),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runSection("type-check cost", () => measureTypecheck());
