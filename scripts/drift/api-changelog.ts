import { join } from "node:path";
import { readIfExists } from "../../src/mock/files.js";
import { formatMarkdown } from "../shared/prettier.js";

export const CHANGELOG_FILE = "API-CHANGELOG.md";

const HEADER = `# API changelog

What changed in the Astro API documents this SDK is generated from, newest first. Each entry is
written by \`npm run specs:update\` when it moves a pin in \`openapi/pins.json\`, with breaking changes
listed first and the semver bump the package needs.
`;

/**
 * Inserts entries above the newest existing one, keeping whatever precedes the first entry (the
 * title and introduction) in place. A missing changelog starts with the standard header.
 */
export function prependEntries(current: string | undefined, entries: readonly string[]): string {
  const text = current ?? HEADER;
  const first = text.search(/^## /m);
  const head = first === -1 ? text : text.slice(0, first);
  const rest = first === -1 ? "" : text.slice(first);
  return `${head.trimEnd()}\n\n${entries.map((e) => e.trim()).join("\n\n")}\n${rest ? `\n${rest}` : ""}`;
}

/** The changelog of the repository at `root` with the entries prepended, formatted, not yet written. */
export async function nextChangelog(root: string, entries: readonly string[]): Promise<string> {
  const current = await readIfExists(join(root, CHANGELOG_FILE));
  return formatMarkdown(prependEntries(current, entries));
}
