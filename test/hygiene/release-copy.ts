/**
 * A throwaway git checkout holding what the release scripts read and write (package.json,
 * .changeset/, src/client/version.ts, openapi/pins.json, the scripts themselves), with the repository's
 * node_modules linked in, so `npm run release:version` and friends run there for real.
 */
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT } from "../helpers/revisions.js";
import { runCommand, type Finished } from "./run-command.js";

const COPIED = [
  "package.json",
  ".prettierrc.json",
  ".changeset/config.json",
  ".changeset/README.md",
  "src/client/version.ts",
  "openapi/pins.json",
  "scripts/release/sync-version.ts",
  "scripts/drift/write-changeset.ts",
];

/** `git` with an identity of its own, so commits and tags work on any machine. */
export function git(args: string[], cwd: string): Promise<Finished> {
  return runCommand(
    "git",
    [
      "-c",
      "user.name=release-test",
      "-c",
      "user.email=release-test@localhost",
      "-c",
      "commit.gpgsign=false",
      ...args,
    ],
    cwd,
  );
}

/** Creates the copy, committed on a `main` branch; `remove` deletes it. */
export async function releaseCopy(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "astro-release-"));
  for (const path of COPIED) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await cp(join(ROOT, path), join(dir, path));
  }
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  await writeFile(join(dir, ".gitignore"), "node_modules\n");
  for (const args of [
    ["init", "-q", "-b", "main"],
    ["add", "-A"],
    ["commit", "-q", "-m", "copy"],
  ]) {
    const result = await git(args, dir);
    if (result.code !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
