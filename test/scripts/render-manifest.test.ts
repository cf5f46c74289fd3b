/**
 * The rendered manifest module (scripts/generate/render-manifest.ts) holds the operations as a
 * JSON text given to `JSON.parse`: evaluated after prettier, as `npm run generate` writes it, it
 * must give the entries the generator had, whatever characters their strings hold (quotes,
 * backslashes, line separators, `*\/`…).
 */
import fc from "fast-check";
import { transform } from "esbuild";
import { describe, expect, it } from "vitest";
import { v1Operations } from "../../generated/v1-operations.js";
import type { ManifestEntry } from "../../scripts/generate/build-manifest.js";
import { renderDocumentOperations } from "../../scripts/generate/render-manifest.js";
import { formatTypeScript } from "../../scripts/shared/prettier.js";
import type { OperationInfo } from "../../src/operations/manifest.js";
import { runs } from "../helpers/depth.js";

/** What the generator knows of an operation beyond the runtime manifest. */
function entryOf(operation: OperationInfo): ManifestEntry {
  return { ...operation, successStatus: 200, errorStatuses: ["4XX"], summary: "s", description: "d" };
}

/** The runtime value of the rendered module's `<api>Operations`, after prettier. */
async function renderedOperations(entries: readonly ManifestEntry[]): Promise<unknown> {
  const source = await formatTypeScript(renderDocumentOperations("v1", entries));
  const { code } = await transform(source, { loader: "ts", format: "esm" });
  const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`)) as {
    v1Operations: unknown;
  };
  return module.v1Operations;
}

describe("the rendered manifest", () => {
  it("evaluates to the pinned v1 manifest", async () => {
    expect(await renderedOperations(v1Operations.map(entryOf))).toEqual(v1Operations);
  });

  it("keeps any string of an entry as it was", async () => {
    const base = v1Operations.find((op) => op.paginated && op.queryParams.length > 0)!;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "binary" }),
        fc.string({ unit: "grapheme" }),
        fc.constantFrom("'", '"', "\\", "\u2028", "*/", "${x}", "`"),
        async (itemsKey, name, tricky) => {
          const entry = entryOf({
            ...base,
            itemsKey: itemsKey + tricky,
            queryParams: [{ name: tricky + name, required: false, array: true }],
          });
          expect(await renderedOperations([entry])).toEqual([
            {
              ...base,
              itemsKey: itemsKey + tricky,
              queryParams: [{ name: tricky + name, required: false, array: true }],
            },
          ]);
        },
      ),
      { numRuns: runs(25) },
    );
  });
});
