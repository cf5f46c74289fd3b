import type { BinaryDownloadResult } from "../binary-download.js";
import { mb, type Maybe } from "./report-format.js";

/** The summary row of the binary download (`undefined` when it was not measured). */
export function binarySummaryRow(result: Maybe<BinaryDownloadResult> | undefined): string[] | undefined {
  if (result === undefined || "missing" in result) return undefined;
  return [
    `binary download of ${mb(result.bytes)} MB: peak RSS growth; peak heap growth`,
    `${mb(result.peakRssGrowth)} MB; ${mb(result.peakHeapGrowth)} MB`,
    "flat (≪ the download)",
  ];
}

/** Section 8 of BENCHMARKS.md. */
export function binarySection(result: Maybe<BinaryDownloadResult> | undefined): string[] {
  const title = "## 8. Binary download memory";
  if (result === undefined) return [title, "", "Not measured: no result from this run.", ""];
  if ("missing" in result) return [title, "", `Not measured: ${result.missing}`, ""];
  return [
    title,
    "",
    `\`astro.getOrganizationAuditLogs()\` (\`application/octet-stream\`) downloading ${mb(result.bytes)} MB from a ` +
      "local server in another process, the bytes consumed as they arrive (`for await` over the returned " +
      "`ReadableStream`, as a pipe to a file does). The server answers the first attempt 503, so the measured " +
      `download is a retry (${result.attempts} attempts). Fresh process with \`--expose-gc\`, against a baseline ` +
      "taken after a full GC, memory sampled after every chunk.",
    "",
    `| bytes | ms | MB/s | peak RSS growth MB | peak heap growth MB |`,
    `| ---: | ---: | ---: | ---: | ---: |`,
    `| ${result.bytes} | ${result.ms.toFixed(0)} | ${result.mbPerSecond.toFixed(0)} | ${mb(result.peakRssGrowth)} | ${mb(result.peakHeapGrowth)} |`,
    "",
    "The body is never read into one buffer (neither by the client nor by a retry): RSS grows by the " +
      "socket's and the stream's buffers, not by the size of the download.",
    "",
  ];
}
