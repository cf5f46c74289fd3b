/**
 * Step of `npm run release:version`: after `changeset version` bumped package.json, writes the
 * same version into src/client/version.ts (the client's user agent and `VERSION` export), which a test
 * keeps equal to package.json's. `--root DIR` runs it on another checkout.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const VERSION_LINE = /^export const VERSION = "[^"\n]*";$/m;

const { values } = parseArgs({ options: { root: { type: "string", default: "." } } });
const root = resolve(values.root);
const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version?: unknown };
if (typeof manifest.version !== "string") throw new Error("package.json has no version");
const file = join(root, "src", "client", "version.ts");
const source = await readFile(file, "utf8");
if (!VERSION_LINE.test(source)) throw new Error(`${file} has no line \`export const VERSION = "…";\``);
await writeFile(
  file,
  source.replace(VERSION_LINE, `export const VERSION = ${JSON.stringify(manifest.version)};`),
);
console.log(`src/client/version.ts: ${manifest.version}`);
