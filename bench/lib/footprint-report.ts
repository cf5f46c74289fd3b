/**
 * The footprint's part of BENCHMARKS.md (issue #27's goals: the minimal v1 browser bundle at most
 * 15 KiB gzipped, the main entry's import at most 2× openapi-fetch's).
 */
import type { BundleSize, ChunksSize, FootprintResult } from "../footprint.js";
import { isMissing, table, verdict, type Maybe } from "./report-format.js";

export const FOOTPRINT_GOALS = { browserGzipKiB: 15, importRatio: 2 } as const;

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value: number): string => value.toFixed(1);
const size = (s: BundleSize | ChunksSize): string => `${kib(s.minified)} / ${kib(s.gzipped)}`;
const chunks = (s: ChunksSize): string => `${size(s)} (${s.chunks} chunk${s.chunks === 1 ? "" : "s"})`;

function importRatio(result: FootprintResult): number {
  return result.importMs.sdk / result.importMs.openapiFetch;
}

/** Rows for the summary table; none when the section was not measured. */
export function footprintSummaryRows(result: Maybe<FootprintResult> | undefined): string[][] {
  if (result === undefined || isMissing(result)) return [];
  return [
    [
      "minimal v1 bundle, browser, minified + gzipped",
      kib(result.bundle.browser.sdk.gzipped),
      `≤ ${FOOTPRINT_GOALS.browserGzipKiB} KiB`,
    ],
    ...(result.split
      ? [
          [
            "minimal v1 bundle with `--splitting`, browser: loaded before the first call, gzipped",
            kib(result.split.loaded.gzipped),
            "— (the goal is the single file's)",
          ],
        ]
      : []),
    ["import of the main entry ÷ openapi-fetch's", `${importRatio(result).toFixed(1)}×`, "≤ 2×"],
  ];
}

/** The section (`undefined`: results written before it existed). */
export function footprintSection(result: Maybe<FootprintResult> | undefined, number: number): string[] {
  const title = `## ${number}. Footprint: bundle size and import time`;
  if (result === undefined) return [title, "", "Not measured: these results predate the section.", ""];
  if (isMissing(result)) return [title, "", `Not measured: ${result.missing}`, ""];
  const { bundle, importMs, split } = result;
  return [
    title,
    "",
    "`bench/footprint.ts`: esbuild bundles a minimal script from the built package — `createAstroClient` " +
      "and `getDeployment` — minified, no externals, for each platform; against it, openapi-fetch's " +
      "`createClient` and one `GET`. Import: `await import()` of the main entry timed in a fresh Node " +
      `process, ${importMs.samples} samples alternating with openapi-fetch, medians. With ` +
      "`--splitting --format=esm` (browser), the same script's entry chunk and the chunks it imports " +
      "statically (what a page or worker loads before its first call), and the chunks `import()` loads " +
      "at the first workflow or `throttle.redis` call; each chunk gzipped on its own, then summed.",
    "",
    table(
      ["measure", "astro-api-client", "openapi-fetch", "goal", ""],
      [
        [
          "bundle, `--platform=browser` (minified / gzipped)",
          size(bundle.browser.sdk),
          size(bundle.browser.openapiFetch),
          `≤ ${FOOTPRINT_GOALS.browserGzipKiB} KiB gzipped`,
          verdict(bundle.browser.sdk.gzipped <= FOOTPRINT_GOALS.browserGzipKiB * 1024),
        ],
        ...(split
          ? [
              [
                "with `--splitting`: loaded before the first call",
                chunks(split.loaded),
                size(bundle.browser.openapiFetch),
                "— (the goal is the single file's)",
                "",
              ],
              [
                "with `--splitting`: loaded at the first workflow or Redis call",
                chunks(split.lazy),
                "—",
                "—",
                "",
              ],
            ]
          : []),
        ["bundle, `--platform=node`", size(bundle.node.sdk), size(bundle.node.openapiFetch), "—", ""],
        [
          `esbuild warnings (node, browser${split ? ", split" : ""})`,
          [bundle.node.sdk.warnings, bundle.browser.sdk.warnings, ...(split ? [split.warnings] : [])].join(
            ", ",
          ),
          `${bundle.node.openapiFetch.warnings}, ${bundle.browser.openapiFetch.warnings}`,
          "0",
          verdict(bundle.node.sdk.warnings + bundle.browser.sdk.warnings + (split?.warnings ?? 0) === 0),
        ],
        [
          "import of the main entry",
          `${ms(importMs.sdk)} ms`,
          `${ms(importMs.openapiFetch)} ms`,
          `≤ ${FOOTPRINT_GOALS.importRatio}× (${importRatio(result).toFixed(1)}×)`,
          verdict(importRatio(result) <= FOOTPRINT_GOALS.importRatio),
        ],
      ],
    ),
    "",
  ];
}
