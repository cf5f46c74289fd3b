/**
 * CreateDeploy's `git` metadata: the caller's override, or (for a folder) what its repository
 * says, read by `git-metadata.ts`, which is loaded only when a folder is deployed (it needs Node).
 */
import { describeValue } from "../errors/describe-value.js";
import { AstroConfigError } from "../errors/error-classes.js";

/** CreateDeploy's `git` (the document's `CreateDeployGitRequest`), shown with the deploy in the Astro UI. */
export interface DeployGit {
  /** The commit deployed. */
  commitSha: string;
  /** `GITHUB` (then `account`, `repo`, no `remoteUrl`) or `GENERIC` (then `remoteUrl`). */
  provider: "GITHUB" | "GENERIC";
  /** The GitHub account or organization (`GITHUB`). */
  account?: string;
  /** The GitHub repository name (`GITHUB`). */
  repo?: string;
  /** The remote's URL (`GENERIC`), without credentials. */
  remoteUrl?: string;
  /** The branch. */
  branch?: string;
  /** The commit's author. */
  authorName?: string;
  /** The author's username. */
  authorUsername?: string;
  /** The author's profile URL. */
  authorUrl?: string;
  /** The commit in the provider's web UI. */
  commitUrl?: string;
  /** The commit before this one. */
  beforeCommitSha?: string;
  /** The deployed folder's path within the repository. */
  path?: string;
}

/**
 * `git` of `deployDags`/`deployBundle`: `true` (the default) reads the folder's repository,
 * `false` sends none, an object is sent as it is.
 */
export type GitOption = boolean | DeployGit;

const STRING_FIELDS = [
  "commitSha",
  "account",
  "repo",
  "remoteUrl",
  "branch",
  "authorName",
  "authorUsername",
  "authorUrl",
  "commitUrl",
  "beforeCommitSha",
  "path",
] as const;

/** The option, checked before anything is created. */
export function checkGitOption(value: unknown): GitOption {
  if (value === undefined) return true;
  if (typeof value === "boolean") return value;
  if (value === null || typeof value !== "object")
    throw new AstroConfigError(`git must be true, false or an object, got ${describeValue(value)}`);
  const git = value as Record<string, unknown>;
  if (typeof git.commitSha !== "string" || git.commitSha === "")
    throw new AstroConfigError(
      `git.commitSha must be a non-empty string, got ${describeValue(git.commitSha)}`,
    );
  if (git.provider !== "GITHUB" && git.provider !== "GENERIC")
    throw new AstroConfigError(`git.provider must be GITHUB or GENERIC, got ${describeValue(git.provider)}`);
  for (const name of STRING_FIELDS)
    if (git[name] !== undefined && typeof git[name] !== "string")
      throw new AstroConfigError(`git.${name} must be a string, got ${describeValue(git[name])}`);
  return value as DeployGit;
}

/** Loads the Node-only reader (replaceable in tests). */
export type GitReaderLoader = () => Promise<{
  readGitMetadata(directory: string): Promise<{ git: DeployGit; subject: string } | undefined>;
}>;

export const defaultGitReader: GitReaderLoader = () => import("./git-metadata.js");

/** The `git` to send and the commit subject (the default description), per the option. */
export async function resolveGit(
  option: GitOption,
  directory: string | undefined,
  loader: GitReaderLoader = defaultGitReader,
): Promise<{ git?: DeployGit; subject?: string }> {
  if (option === false) return {};
  if (option !== true) return { git: option };
  if (directory === undefined) return {};
  try {
    const read = await (await loader()).readGitMetadata(directory);
    return read ? { git: read.git, subject: read.subject || undefined } : {};
  } catch {
    // No git, or a runtime without child processes: the deploy goes on without metadata.
    return {};
  }
}
