/** What the sections of BENCHMARKS.md share: a missing result, number formats, a Markdown table. */

/** A section that failed or was skipped: the report says so instead of a number. */
export interface Missing {
  missing: string;
}

export type Maybe<T> = T | Missing;

export const isMissing = <T>(value: Maybe<T>): value is Missing =>
  typeof value === "object" && value !== null && "missing" in value;

export const us = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
export const ms = (value: number): string => value.toFixed(0);
export const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
export const ratio = (value: number): string => value.toFixed(2);
export const verdict = (ok: boolean): string => (ok ? "met" : "**not met**");

export function table(header: string[], rows: string[][]): string {
  return [header, header.map(() => "---"), ...rows].map((row) => `| ${row.join(" | ")} |`).join("\n");
}
