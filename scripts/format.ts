import { fileURLToPath } from "node:url";
import * as prettier from "prettier";

const PROJECT_FILE = fileURLToPath(new URL("../generated/operations.ts", import.meta.url));

let config: prettier.Options | undefined;

/**
 * Formats generated TypeScript with this project's prettier config, wherever the output goes,
 * so a generator run in a temporary root produces the same bytes as one in the repository.
 */
export async function formatTypeScript(source: string): Promise<string> {
  config ??= (await prettier.resolveConfig(PROJECT_FILE)) ?? {};
  // babel-ts formats this generated code byte-for-byte as the typescript parser does (which
  // `prettier --check` uses on .ts files, so any difference would fail `npm test`), in half the time.
  return prettier.format(source, { ...config, parser: "babel-ts" });
}
