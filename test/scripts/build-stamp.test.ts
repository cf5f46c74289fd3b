/**
 * The build stamp (scripts/build/stamp.ts): the packaging test skips building only when `dist/`
 * is, byte for byte, what the build made from the inputs as they are now. Any change to an input
 * or to `dist/` — a byte, a new file, a removed one, a renamed one — must make it stale.
 */
import fc from "fast-check";
import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { distIsFresh, inputsHash, writeStamp } from "../../scripts/build/stamp.js";
import { runs } from "../helpers/depth.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A repository with a few inputs and a built `dist/`, stamped. */
async function stampedRepo(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "astro-stamp-"));
  dirs.push(root);
  const files: Record<string, string> = {
    "src/index.ts": "export const a = 1;\n",
    "src/client/config.ts": "export const b = 2;\n",
    "generated/v1.ts": "export type X = 1;\n",
    "package.json": "{}\n",
    "tsup.config.ts": "export default {};\n",
    "dist/index.js": "export const a = 1;\n",
    "dist/openapi/v1.facts.json": "{}\n",
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  await writeStamp(root, await inputsHash(root));
  return root;
}

describe("the build stamp", () => {
  it("is fresh right after the build, and not without a stamp", async () => {
    const root = await stampedRepo();
    expect(await distIsFresh(root)).toBe(true);
    await rm(join(root, "node_modules"), { recursive: true });
    expect(await distIsFresh(root)).toBe(false);
  });

  it("goes stale on any change to an input or to dist/", async () => {
    const change = fc.record({
      file: fc.constantFrom(
        "src/index.ts",
        "src/client/config.ts",
        "generated/v1.ts",
        "package.json",
        "tsup.config.ts",
        "tsconfig.json",
        "package-lock.json",
        "dist/index.js",
        "dist/openapi/v1.facts.json",
        "src/new-file.ts",
        "dist/chunk-NEW.js",
      ),
      how: fc.constantFrom("append", "remove", "rename"),
      text: fc.string({ minLength: 1, maxLength: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(change, async ({ file, how, text }) => {
        const root = await stampedRepo();
        const path = join(root, file);
        if (how === "append") {
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, text, { flag: "a" });
        } else {
          // Removing or renaming a file that does not exist changes nothing: skip that case.
          const move = how === "rename" ? rename(path, `${path}.moved`) : unlink(path);
          fc.pre(
            await move.then(
              () => true,
              () => false,
            ),
          );
        }
        expect(await distIsFresh(root)).toBe(false);
        await rm(root, { recursive: true, force: true });
      }),
      { numRuns: runs(30) },
    );
  });
});
