/**
 * `npm run build` (and `prepare`): tsup, then a stamp of what was built (scripts/build/stamp.ts),
 * so the packaging test reuses a `dist/` that `npm ci` just built from the same sources. The
 * inputs are hashed before the build and again after it: a file changed while tsup ran leaves no
 * stamp, and the next check builds again.
 */
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { exitCode } from "../shared/exit-code.js";
import { REPO_ROOT } from "../shared/repo-root.js";
import { inputsHash, stampFile, writeStamp } from "./stamp.js";

await rm(stampFile(REPO_ROOT), { force: true });
const before = await inputsHash(REPO_ROOT);
const tsup = spawn(process.execPath, [join(REPO_ROOT, "node_modules", "tsup", "dist", "cli-default.js")], {
  cwd: REPO_ROOT,
  stdio: "inherit",
});
const code = await exitCode(tsup);
if (code === 0 && (await inputsHash(REPO_ROOT)) === before) await writeStamp(REPO_ROOT, before);
process.exitCode = code;
