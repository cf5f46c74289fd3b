import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { operationsByDocument, specs, type OperationInfo } from "../../generated/operations.js";

const operations = Object.values(operationsByDocument).flat();
import { OPERATIONS_DOC, renderOperationsDoc } from "../../scripts/generate/render-operations-doc.js";
import { ROOT } from "../helpers/revisions.js";

/** The table rows of a rendered page, as arrays of trimmed cells. */
function rows(markdown: string): string[][] {
  return markdown
    .split("\n")
    .filter((line) => line.startsWith("| "))
    .slice(2)
    .map((line) =>
      line
        .slice(2, -2)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

/** A real create, to vary in the made-up manifests below. */
const base: OperationInfo = operationsByDocument.iam.find((op) => op.operationId === "CreateTeam")!;

describe("docs/operations.md", () => {
  it("is current: the page in the repository is what the manifest renders", async () => {
    const onDisk = await readFile(join(ROOT, OPERATIONS_DOC), "utf8");
    expect(onDisk, "run `npm run generate` and commit docs/operations.md").toBe(
      await renderOperationsDoc(operations, specs),
    );
  });

  it("has one row per operation, in manifest order, with its retry decision", async () => {
    const table = rows(await renderOperationsDoc(operations, specs));
    expect(table).toHaveLength(operations.length);
    table.forEach((row, i) => {
      const op = operations[i]!;
      expect(row.slice(0, 2)).toEqual([op.api, `\`${op.operationId}\``]);
      expect(row[4]).toBe(`\`${op.path}\``);
      expect(row.slice(5, 8)).toEqual([op.kind, ...Array<string>(2).fill(op.idempotent ? "yes" : "no")]);
    });
  });

  it("names each action once, with the documents that have it and whether it is idempotent there", async () => {
    const action = { ...base, operationId: "RotateApiToken", kind: "action" as const, idempotent: false };
    const page = await renderOperationsDoc(
      [
        { ...action, api: "v1" },
        { ...action, api: "iam" },
        { ...action, operationId: "Sync", api: "v1", idempotent: true },
        { ...action, operationId: "Sync", api: "iam" },
      ],
      specs,
    );
    expect(page).toContain(
      "Actions: `RotateApiToken` (v1, iam; not idempotent), `Sync` (v1, iam; idempotent in some documents).",
    );
  });

  it("renders kinds, pagination and awkward text from the entries it is given", async () => {
    const page = await renderOperationsDoc(
      [
        base,
        {
          ...base,
          operationId: "ListTeams",
          method: "get",
          kind: "read",
          idempotent: true,
          paginated: true,
          itemsKey: "teams",
          path: "/a|b",
          deprecated: true,
        },
      ],
      specs,
    );
    expect(rows(page)).toEqual([
      [
        "iam",
        "`CreateTeam`",
        "`createTeam`",
        "POST",
        "`/organizations/{organizationId}/teams`",
        "create",
        "no",
        "no",
        "no",
        "json",
      ],
      [
        "iam",
        "`ListTeams` (deprecated)",
        "`listTeams`",
        "GET",
        "`/a\\|b`",
        "read",
        "yes",
        "yes",
        "yes (`teams`)",
        "json",
      ],
    ]);
    expect(page).toContain("The 2 operations of the pinned documents (0 v1, 0 platform, 2 iam)");
    expect(page).toContain("- `create` (1)");
    expect(page).not.toContain("- `update`");
  });
});
