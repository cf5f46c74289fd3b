import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { alive, eventually, freePort, watchPrismDescendants } from "../helpers/prism.js";
import { ROOT } from "../helpers/revisions.js";

describe("npm run mock", () => {
  it(
    "serves v1, and v1beta1 on request, at one base URL on the port given, and stops on Ctrl-C",
    { timeout: 120_000 },
    async ({ onTestFinished }) => {
      const port = await freePort();
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "scripts/bin/mock.ts", "--port", String(port), "--v1beta1"],
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
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes("Ctrl-C to stop.")) resolve();
        });
        void exited.then(() => reject(new Error(`npm run mock exited early:\n${stdout}${stderr}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      expect(stdout).toContain(`  v1        ${base}/v1\n`);
      expect(stdout).toContain(`  platform  ${base}/platform/v1beta1\n`);
      expect(stdout).toContain(`  iam       ${base}/iam/v1beta1\n`);
      expect(stdout).toContain(`createAstroClient({ token: "any", baseUrl: "${base}" })`);

      for (const path of ["/v1/organizations/org-1/teams", "/iam/v1beta1/organizations/org-1/teams"]) {
        const response = await fetch(`${base}${path}`, { headers: { authorization: "Bearer any-token" } });
        expect(response.status, path).toBe(200);
        expect(((await response.json()) as { teams: unknown[] }).teams.length).toBeGreaterThan(0);
      }

      child.kill("SIGINT");
      const [code] = await exited;
      const prism = await watcher.stop();
      expect(code).toBe(0);
      expect(stdout).toContain("mock stopped (SIGINT)");
      expect(stderr).toBe("");
      expect(prism).toHaveLength(3);
      await eventually(() => prism.every((pid) => !alive(pid)));
    },
  );
});
