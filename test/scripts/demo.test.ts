import { describe, expect, it } from "vitest";
import { alive, eventually, runProgram, type ProgramRun } from "../helpers/prism.js";
import { ROOT } from "../helpers/revisions.js";

/** Runs `npm run demo -- …args` as a person would, without any Astro credentials. */
function demo(args: string[] = []): Promise<ProgramRun> {
  const env = { ...process.env };
  delete env.ASTRO_API_TOKEN;
  delete env.ASTRO_ORGANIZATION_ID;
  return runProgram("npm", ["run", "--silent", "demo", "--", ...args], { cwd: ROOT, env });
}

describe("npm run demo", () => {
  it(
    "tours the SDK on the embedded mock, exits 0 and leaves no Prism behind",
    { timeout: 120_000 },
    async () => {
      const { code, stdout, stderr, prism } = await demo();
      expect(stderr).toBe("");
      expect(code).toBe(0);
      for (const line of [
        /^ {2}mock {15}http:\/\/127\.0\.0\.1:\d+\/v1 {2}\(started in/m,
        /^ {2}organizations {6}\d+ listed: /m,
        /^ {2}deployments {8}paginate, 2 a page: 1 page \(offset 0\), \d+ items? of totalCount \d+; the mock repeats its example page, so paginate stopped at the repeat$/m,
        /^ {2}create workspace {3}POST → workspace ".+" \(\w+\)/m,
        /^ {2}update deployment {2}POST → deployment ".+" \(\w+\)/m,
        /^ {2}error {14}NotFoundError {2}status 404 {2}requestId \S+/m,
        /^ {21}404 Not Found — .+ \(GET \/organizations\/\{organizationId\}\/deployments\/\{deploymentId\}, requestId .+\)$/m,
      ])
        expect(stdout).toMatch(line);
      // The burst is held to the default GET limit: never more than 25 in a second, so 60 take
      // at least two refills (a generous bound, not a timing assertion).
      const burst =
        /^ {2}throttle {11}60 GETs in ([\d.]+) s = [\d.]+\/s; at most (\d+) sent in any second \(default limit GET 25\/s\)$/m.exec(
          stdout,
        );
      expect(burst, stdout).not.toBeNull();
      expect(Number(burst![2])).toBeLessThanOrEqual(25);
      expect(Number(burst![1])).toBeGreaterThanOrEqual(2);
      // No token anywhere in the output: there is none, and the mock's dummy one is never printed.
      expect(stdout).not.toContain("demo-token");
      // The v1 Prism process was seen running under the demo, and is gone.
      expect(prism).toHaveLength(1);
      await eventually(() => prism.every((pid) => !alive(pid)));
    },
  );

  it("--live without ASTRO_API_TOKEN says exactly what to set, and calls nothing", async () => {
    const { code, stdout, stderr, prism } = await demo(["--live"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("npm run demo -- --live reads from the real Astro API and needs an API token:");
    expect(stderr).toContain("export ASTRO_API_TOKEN=<an Organization, Workspace or Deployment API token>");
    expect(stderr).toContain("export ASTRO_ORGANIZATION_ID=<your Organization's ID>");
    expect(stderr).toContain("It only lists and reads; it changes nothing.");
    expect(prism).toEqual([]);
  });
});
