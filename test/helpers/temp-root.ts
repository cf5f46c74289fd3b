import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./revisions.js";

/**
 * A throwaway copy of the parts of the repository the pipeline reads and writes (`openapi/`,
 * `generated/`, `docs/`), so a test can break pins or documents without touching the checkout.
 */
export async function tempRoot(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "astro-root-"));
  await cp(join(ROOT, "openapi"), join(dir, "openapi"), { recursive: true });
  await cp(join(ROOT, "generated"), join(dir, "generated"), { recursive: true });
  await cp(join(ROOT, "docs"), join(dir, "docs"), { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
