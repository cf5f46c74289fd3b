import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { alive, eventually, freePort, watchPrismDescendants } from "../helpers/prism.js";
import { ROOT } from "../helpers/revisions.js";

describe("npm run mock", () => {
  it(
    "serves both APIs on the ports given, prints their URLs, and stops on Ctrl-C",
    { timeout: 120_000 },
    async ({ onTestFinished }) => {
      const ports = { platform: await freePort(), iam: await freePort() };
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "scripts/bin/mock.ts",
          "--platform-port",
          String(ports.platform),
          "--iam-port",
          String(ports.iam),
        ],
        { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
      );
      // A failed assertion must not leave the mock running.
      onTestFinished(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      });
      const watcher = watchPrismDescendants(child.pid!);
      const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
      let stdout = "";
      let stderr = "";
      child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes("Ctrl-C to stop.")) resolve();
        });
        void exited.then(() => reject(new Error(`npm run mock exited early:\n${stdout}${stderr}`)));
      });
      expect(stdout).toMatch(new RegExp(`^ {2}platform {2}http://127\\.0\\.0\\.1:${ports.platform}$`, "m"));
      expect(stdout).toMatch(new RegExp(`^ {2}iam {7}http://127\\.0\\.0\\.1:${ports.iam}$`, "m"));

      const response = await fetch(`http://127.0.0.1:${ports.iam}/organizations/org-1/teams`, {
        headers: { authorization: "Bearer any-token" },
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { teams: unknown[] }).teams.length).toBeGreaterThan(0);

      child.kill("SIGINT");
      const [code] = await exited;
      const prism = await watcher.stop();
      expect(code).toBe(0);
      expect(stdout).toContain("mock stopped (SIGINT)");
      expect(stderr).toBe("");
      expect(prism).toHaveLength(2);
      await eventually(() => prism.every((pid) => !alive(pid)));
    },
  );
});
