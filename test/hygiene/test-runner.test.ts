/**
 * `npm test`'s step runner (scripts/test-runner/run-steps.ts): each step's output is kept for when
 * it fails, a failure does not stop the others, and no more than `jobs` run at once.
 */
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { runSteps } from "../../scripts/test-runner/run-steps.js";

const node = (code: string) => `"${process.execPath}" -e ${JSON.stringify(code)}`;

describe("runSteps", () => {
  it("reports every step's exit code and output, in the order given, whatever fails", async () => {
    const ended: string[] = [];
    const results = await runSteps(
      [
        { name: "fails", command: node("console.error('bad thing'); process.exit(3)") },
        { name: "passes", command: node("console.log('fine')") },
      ],
      { jobs: 2, cwd: tmpdir(), onEnd: (result) => ended.push(result.name) },
    );
    expect(results.map(({ name, code }) => ({ name, code }))).toEqual([
      { name: "fails", code: 3 },
      { name: "passes", code: 0 },
    ]);
    expect(results[0]!.output).toContain("bad thing");
    expect(results[1]!.output).toBe("fine\n");
    expect(ended.sort()).toEqual(["fails", "passes"]);
  });

  it("runs no more than `jobs` steps at once, niced in the background", async () => {
    // Each step records when it ran; with one job, no two overlap.
    const step = (name: string) => ({
      name,
      command: node("const s = Date.now(); while (Date.now() - s < 150); console.log(s + ' ' + Date.now())"),
    });
    const results = await runSteps([step("a"), step("b"), step("c")], {
      jobs: 1,
      cwd: tmpdir(),
      background: true,
    });
    const spans = results.map((result) => result.output.trim().split(" ").map(Number) as [number, number]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    expect(results.every((result) => result.code === 0)).toBe(true);
  });

  it("reports a command that cannot start as failed", async () => {
    const [result] = await runSteps([{ name: "missing", command: "astro-no-such-command-9f3" }], {
      jobs: 1,
      cwd: tmpdir(),
    });
    expect(result!.code).not.toBe(0);
    expect(result!.output).toMatch(/not found/);
  });
});
