/**
 * The fake's part of BENCHMARKS.md (issue #16's goals: `startAstroFake()` in under 200 ms, at
 * least 2,000 requests/s on loopback), kept apart from report.ts, which holds the SDK's sections.
 */
import type { FakeResult } from "../fake.js";

/** The goals the fake is held to. */
export const FAKE_GOALS = { startMs: 200, requestsPerSecond: 2000 } as const;

const KINDS: Record<keyof FakeResult["requestsPerSecond"], string> = {
  getItem: "GET one workspace",
  listPage: "GET a page of 20 workspaces (of 101)",
  create: "POST a workspace (validated, stored)",
};

const count = (n: number): string => Math.round(n).toLocaleString("en");
const verdict = (ok: boolean): string => (ok ? "met" : "**not met**");

function table(header: string[], rows: string[][]): string {
  return [header, header.map(() => "---"), ...rows].map((row) => `| ${row.join(" | ")} |`).join("\n");
}

/** The slowest kind of request: the rate the goal is judged by. */
function slowest(result: FakeResult): number {
  return Math.min(...Object.values(result.requestsPerSecond));
}

/** Rows for the summary table; none when the section was not measured. */
export function fakeSummaryRows(result: FakeResult | { missing: string } | undefined): string[][] {
  if (result === undefined || "missing" in result) return [];
  return [
    ["fake: first `startAstroFake()` in a process", `${result.firstStartMs.toFixed(0)} ms`, "< 200 ms"],
    ["fake: requests per second, slowest kind", count(slowest(result)), "≥ 2,000"],
  ];
}

/**
 * The section. `undefined` stands for results written before the section existed (a
 * `--render-only` of an older run).
 */
export function fakeSection(result: FakeResult | { missing: string } | undefined, number: number): string[] {
  const title = `## ${number}. The fake (\`astro-api-client/testing\`)`;
  if (result === undefined) return [title, "", "Not measured: these results predate the section.", ""];
  if ("missing" in result) return [title, "", `Not measured: ${result.missing}`, ""];
  const rates = Object.entries(result.requestsPerSecond) as [keyof typeof KINDS, number][];
  return [
    title,
    "",
    "`bench/fake.ts`: `startAstroFake()` timed in a fresh process (the first start loads and compiles the " +
      "validator; the module import is not counted), then the fake under load on loopback: " +
      `${result.concurrency} requests in flight over keep-alive connections from two worker threads, ` +
      `${result.secondsPerKind} s per kind, validation on, rate limits off. The bare row is a node:http server ` +
      "answering a fixed 1 KB body under the same load, measured just before: what the machine allowed then.",
    "",
    table(
      ["measure", "value", "goal", ""],
      [
        [
          "first start in a process",
          `${result.firstStartMs.toFixed(1)} ms`,
          `< ${FAKE_GOALS.startMs} ms`,
          verdict(result.firstStartMs < FAKE_GOALS.startMs),
        ],
        ["later starts, median", `${result.startMedianMs.toFixed(1)} ms`, "", ""],
        ...rates.map(([kind, rate]) => [
          `${KINDS[kind]}, requests/s`,
          count(rate),
          `≥ ${count(FAKE_GOALS.requestsPerSecond)}`,
          verdict(rate >= FAKE_GOALS.requestsPerSecond),
        ]),
        ["bare node:http server, requests/s", count(result.bareServerPerSecond), "", ""],
      ],
    ),
    "",
  ];
}
