/**
 * Git metadata of a folder for CreateDeploy's `git` (it runs the `git` binary, through
 * `node:child_process` taken from `process.getBuiltinModule`). Only imported, lazily, from the
 * folder-packing path of `deployDags`/`deployBundle`. Anything that
 * goes wrong (no git, not a repository, no `origin`, uncommitted changes, a slow git) yields
 * nothing: git metadata must never fail a deploy.
 */
import type * as ChildProcess from "node:child_process";
import { optionalNodeBuiltin } from "../internal/unbundled-import.js";
import type { DeployGit } from "./deploy-git.js";

/** Longest a single git command may take. */
const GIT_TIMEOUT_MS = 5_000;
/** The Astro CLI keeps the commit subject to this many characters for the description. */
const SUBJECT_MAX = 72;

function git(cwd: string, args: string[]): Promise<string | undefined> {
  const spawn = optionalNodeBuiltin<typeof ChildProcess>("node:child_process");
  // No static Node import (bundlers for other runtimes pass this file): `process` as a global.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return new Promise((resolve) => {
    if (!spawn) return resolve(undefined);
    try {
      spawn.execFile(
        "git",
        // No fsmonitor hook: a repository's own config must not run programs of its choosing here.
        ["-c", "core.fsmonitor=false", "-C", cwd, ...args],
        {
          timeout: GIT_TIMEOUT_MS,
          maxBuffer: 1024 * 1024,
          windowsHide: true,
          env: { ...env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0", LC_ALL: "C" },
        },
        (error, stdout) => resolve(error ? undefined : String(stdout).trim()),
      );
    } catch {
      resolve(undefined);
    }
  });
}

/** A remote URL without credentials (`https://user:token@host/…` keeps only the host and path). */
export function withoutCredentials(remote: string): string {
  if (!remote.includes("://")) return remote;
  try {
    const url = new URL(remote);
    url.username = "";
    url.password = "";
    return url.toString();
  } catch {
    return remote.replace(/\/\/[^/@]*@/, "//");
  }
}

/** Host and path of a remote (`https://github.com/a/b.git` or `git@github.com:a/b.git`). */
export function parseRemote(remote: string): { host: string; path: string } | undefined {
  let host: string;
  let path: string;
  if (remote.includes("://")) {
    try {
      const url = new URL(remote);
      host = url.hostname;
      path = url.pathname;
    } catch {
      return undefined;
    }
  } else {
    const match = /^(?:[^@/:]+@)?([^:/]+):(.+)$/.exec(remote);
    if (!match) return undefined;
    host = match[1]!;
    path = match[2]!;
  }
  return { host: host.toLowerCase(), path: path.replace(/^\/+/, "").replace(/\.git$/, "") };
}

/** The git metadata of `directory`'s repository and the commit's subject, or undefined. */
export async function readGitMetadata(
  directory: string,
): Promise<{ git: DeployGit; subject: string } | undefined> {
  if ((await git(directory, ["rev-parse", "--is-inside-work-tree"])) !== "true") return undefined;
  // Uncommitted changes in the folder: the commit does not describe what is deployed (the CLI skips too).
  const dirty = await git(directory, ["status", "--porcelain", "--untracked-files=normal", "--", "."]);
  if (dirty === undefined || dirty !== "") return undefined;
  const [sha, author, subject, branch, prefix, remote] = await Promise.all([
    git(directory, ["rev-parse", "--verify", "HEAD"]),
    git(directory, ["log", "-1", "--format=%an", "HEAD"]),
    git(directory, ["log", "-1", "--format=%s", "HEAD"]),
    git(directory, ["rev-parse", "--abbrev-ref", "HEAD"]),
    git(directory, ["rev-parse", "--show-prefix"]),
    git(directory, ["remote", "get-url", "origin"]),
  ]);
  if (!sha || !/^[0-9a-f]{40,64}$/.test(sha) || !remote) return undefined;
  const parsed = parseRemote(remote);
  if (!parsed) return undefined;
  const meta: DeployGit = { commitSha: sha, provider: "GENERIC" };
  if (branch && branch !== "HEAD") meta.branch = branch;
  if (author) meta.authorName = author;
  if (prefix) meta.path = prefix.replace(/\/$/, "");
  const slash = parsed.path.indexOf("/");
  if (parsed.host === "github.com" && slash > 0 && !parsed.path.slice(slash + 1).includes("/")) {
    // The document: account, repo for GITHUB, and remoteUrl must then be empty.
    const account = parsed.path.slice(0, slash);
    const repo = parsed.path.slice(slash + 1);
    Object.assign(meta, {
      provider: "GITHUB",
      account,
      repo,
      commitUrl: `https://github.com/${account}/${repo}/commit/${sha}`,
    });
  } else meta.remoteUrl = withoutCredentials(remote);
  return { git: meta, subject: (subject ?? "").slice(0, SUBJECT_MAX) };
}
