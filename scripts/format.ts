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
  return prettier.format(source, { ...config, parser: "typescript" });
}
