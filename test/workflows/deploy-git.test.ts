/** CreateDeploy's git metadata, read from the deployed folder's repository with the real git binary. */
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AstroConfigError } from "../../src/index.js";
import { parseRemote, withoutCredentials } from "../../src/workflows/git-metadata.js";
import { rejection } from "../helpers/client.js";
import { useDeployRig } from "./deploy-rig.js";

const rig = useDeployRig();

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Ada Lovelace",
      GIT_AUTHOR_EMAIL: "ada@example.com",
      GIT_COMMITTER_NAME: "Ada Lovelace",
      GIT_COMMITTER_EMAIL: "ada@example.com",
      GIT_CONFIG_GLOBAL: "/dev/null",
    },
  })
    .toString()
    .trim();
}

/** A repository holding dags/hello_dag.py, committed, with `origin` set to `remote`. */
async function repository(name: string, remote: string): Promise<{ dags: string; sha: string }> {
  const repo = join(rig.root, name);
  await mkdir(join(repo, "dags"), { recursive: true });
  await writeFile(join(repo, "dags/hello_dag.py"), "from airflow.sdk import dag\n");
  git(repo, "init", "-q", "-b", "main");
  git(repo, "add", ".");
  git(repo, "commit", "-q", "-m", "Add the hello DAG\n\nA longer body that is not the subject.");
  git(repo, "remote", "add", "origin", remote);
  return { dags: join(repo, "dags"), sha: git(repo, "rev-parse", "HEAD") };
}

const createBody = () =>
  JSON.parse(
    rig.api.server.received.find((r) => r.method === "POST" && r.url.endsWith("/deploys"))!.body,
  ) as Record<string, unknown>;

describe("git metadata", () => {
  let github: { dags: string; sha: string };
  beforeAll(async () => {
    github = await repository("gh-repo", "git@github.com:acme/airflow-dags.git");
  });

  it("a folder in a GitHub repository: commitSha = HEAD, branch, author, path, commit URL, and the subject as description", async () => {
    const result = await rig.setup().deployDags({ deploymentId: "dep-1", directory: github.dags });
    expect(createBody()).toEqual({
      type: "DAG_ONLY",
      description: "Add the hello DAG",
      git: {
        commitSha: github.sha,
        provider: "GITHUB",
        account: "acme",
        repo: "airflow-dags",
        branch: "main",
        authorName: "Ada Lovelace",
        path: "dags",
        commitUrl: `https://github.com/acme/airflow-dags/commit/${github.sha}`,
      },
    });
    expect(result.git?.commitSha).toBe(github.sha);
  });

  it("an explicit description wins; git: false sends none; an object is sent as given", async () => {
    await rig.setup().deployDags({ deploymentId: "dep-1", directory: github.dags, description: "mine" });
    expect(createBody()).toMatchObject({ description: "mine", git: { commitSha: github.sha } });
    rig.api.server.received.length = 0;
    await rig.setup().deployDags({ deploymentId: "dep-1", directory: github.dags, git: false });
    expect(createBody()).toEqual({ type: "DAG_ONLY" });
    rig.api.server.received.length = 0;
    const given = { commitSha: "abc123", provider: "GENERIC" as const, remoteUrl: "https://git.example/x" };
    await rig.setup().deployDags({ deploymentId: "dep-1", directory: github.dags, git: given });
    expect(createBody()).toEqual({ type: "DAG_ONLY", git: given });
  });

  it("a GENERIC remote is sent without its credentials", async () => {
    const other = await repository("gl-repo", "https://ci:glpat-SECRET@gitlab.example.com/team/dags.git");
    await rig.setup().deployDags({ deploymentId: "dep-1", directory: other.dags });
    expect(createBody().git).toMatchObject({
      provider: "GENERIC",
      commitSha: other.sha,
      remoteUrl: "https://gitlab.example.com/team/dags.git",
    });
    expect(JSON.stringify(rig.api.server.received.map((r) => r.body))).not.toContain("SECRET");
  });

  it("uncommitted changes in the folder, or no repository at all: nothing sent, nothing fails", async () => {
    await writeFile(join(github.dags, "wip.py"), "# not committed\n");
    await rig.setup().deployDags({ deploymentId: "dep-1", directory: github.dags });
    expect(createBody()).toEqual({ type: "DAG_ONLY" });
    rig.api.server.received.length = 0;
    await rig.setup().deployDags({ deploymentId: "dep-1", directory: rig.dags() });
    expect(createBody()).toEqual({ type: "DAG_ONLY" });
  });

  it("a git binary that cannot run: nothing sent, nothing fails", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      rig.api.server.received.length = 0;
      await rig.setup().deployDags({ deploymentId: "dep-1", directory: join(rig.root, "gl-repo/dags") });
    } finally {
      process.env.PATH = path;
    }
    expect(createBody()).toEqual({ type: "DAG_ONLY" });
  });

  it("a malformed git option is refused before any request", async () => {
    for (const git of [{ provider: "GITHUB" }, { commitSha: "a", provider: "GITLAB" }, "yes"]) {
      const error = await rejection(
        rig.setup().deployDags({ deploymentId: "dep-1", directory: rig.dags(), git: git as never }),
      );
      expect(error).toBeInstanceOf(AstroConfigError);
    }
    expect(rig.routes()).toEqual([]);
  });

  it("reads remotes in both URL and scp-like forms", () => {
    expect(parseRemote("git@github.com:acme/dags.git")).toEqual({ host: "github.com", path: "acme/dags" });
    expect(parseRemote("https://github.com/acme/dags")).toEqual({ host: "github.com", path: "acme/dags" });
    expect(parseRemote("ssh://git@GitHub.com/acme/dags.git")).toEqual({
      host: "github.com",
      path: "acme/dags",
    });
    expect(withoutCredentials("https://u:p@h.example/x.git")).toBe("https://h.example/x.git");
    expect(withoutCredentials("git@h.example:x.git")).toBe("git@h.example:x.git");
  });
});
