/**
 * The API reference's configuration (typedoc.config.js, typedoc-generated.js) on a small library
 * made here: `npm run docs` writes the HTML reference; `npm run docs:check` fails on an exported
 * symbol without TSDoc or a broken {@link}, and exempts only the members nested inside the
 * generated OpenAPI types. (The repository's own check is `npm run docs:check` with no arguments.)
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/revisions.js";
import { runCommand, type Finished } from "./run-command.js";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
let dir: string;

const GENERATED = `export interface paths {
  "/widgets": { get: { responses: { 200: { content: { "application/json": { id: string } } } } } };
}

/** Each operation's query parameters; members of the same shape share one qualified name. */
export const operations = [
  { operationId: "ListWidgets", queryParams: [{ name: "limit", required: false }] },
  { operationId: "ListGadgets", queryParams: [{ name: "cursor", required: false }] },
] as const;
`;

const DOCUMENTED = `/**
 * A library whose every export is documented.
 * @packageDocumentation
 */
/** The API's paths, as generated; its members are described by the API document. */
export type { paths as PlatformPaths } from "../generated/api.js";
export { operations } from "../generated/api.js";

/** Counts widgets; see {@link Widget}. */
export function countWidgets(widgets: Widget[]): number {
  return widgets.length;
}

/** A widget. */
export interface Widget {
  /** Its id. */
  id: string;
}
`;

/** Writes a library whose entry point is `source` and builds or checks its reference. */
async function docs(
  name: string,
  source: string,
  script: "docs" | "docs:check",
): Promise<Finished & { root: string }> {
  const root = join(dir, name);
  await mkdir(join(root, "src"), { recursive: true });
  await mkdir(join(root, "generated"), { recursive: true });
  await writeFile(
    join(root, "package.json"),
    JSON.stringify({ name: `fixture-${name}`, version: "1.0.0", type: "module" }),
  );
  await writeFile(
    join(root, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        noEmit: true,
        // What is checked is the library's reference, not TypeScript's own lib files (the
        // longest part of a run without it).
        skipLibCheck: true,
      },
      include: ["src", "generated"],
    }),
  );
  await writeFile(join(root, "generated", "api.ts"), GENERATED);
  await writeFile(join(root, "src", "index.ts"), source);
  const args = ["--entryPoints", join(root, "src", "index.ts"), "--tsconfig", join(root, "tsconfig.json")];
  if (script === "docs") args.push("--out", join(root, "reference"));
  // npm runs the script in the repository, with its typedoc.config.js; the arguments point it here.
  const result = await runCommand(NPM, ["run", script, "--", ...args], ROOT, {
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  });
  return { ...result, root };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "astro-docs-"));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("npm run docs", () => {
  it("writes an HTML reference of a fully documented library, generated types' members included", async () => {
    const result = await docs("documented", DOCUMENTED, "docs");
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const index = await readFile(join(result.root, "reference", "index.html"), "utf8");
    expect(index).toContain("countWidgets");
    expect(index).toContain("PlatformPaths");
    const page = await readFile(join(result.root, "reference", "functions", "countWidgets.html"), "utf8");
    expect(page).toContain("Counts widgets");
    // The {@link} became a link to the interface's page.
    expect(page).toMatch(/href="[^"]*interfaces\/Widget\.html"/);
  }, 120_000);
});

describe("npm run docs:check", () => {
  it("fails naming each undocumented export or member and each broken link, one run finding them all", async () => {
    const source = `${DOCUMENTED}\nexport const undocumented = 1;\n`
      .replace("  /** Its id. */\n", "")
      .replace("{@link Widget}", "{@link Gadget}")
      .replace("/** The API's paths, as generated; its members are described by the API document. */\n", "");
    const result = await docs("broken", source, "docs:check");
    expect(result.code).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/undocumented \(Variable\).*does not have any documentation/);
    expect(output).toMatch(/Widget\.id \(Property\).*does not have any documentation/);
    expect(output).toMatch(/Failed to resolve link to "Gadget"/);
    // The generated type's export needs TSDoc like any other; only its nested members are exempt.
    expect(output).toMatch(/PlatformPaths.*does not have any documentation/);
    expect(output).not.toMatch(/PlatformPaths\.\/widgets/);
    expect(output).toMatch(/Found 0 errors and 4 warnings/);
  }, 120_000);
});
