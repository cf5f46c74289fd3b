/**
 * The generator fed a hostile OpenAPI document (small documents written here): whatever its
 * operationIds, paths and prose hold, `generated/<api>-operations.ts` is the module the generator
 * means to write (its statements, no others) or the run is a `PipelineError` naming the input.
 */
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { buildManifest } from "../../scripts/generate/build-manifest.js";
import { renderDocumentOperations } from "../../scripts/generate/render-manifest.js";
import type { OpenApiDocument } from "../../scripts/openapi/document.js";
import { PipelineError } from "../../scripts/shared/errors.js";
import { formatTypeScript } from "../../scripts/shared/prettier.js";
import { runs } from "../helpers/depth.js";

/** A valid document of one GET operation. */
function documentOf(operationId: string, path = "/things", summary = "Lists things"): OpenApiDocument {
  return {
    openapi: "3.0.3",
    info: { title: "hostile", version: "v1.0" },
    paths: {
      [path]: {
        get: {
          operationId,
          summary,
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
            },
          },
        },
      },
    },
    components: { schemas: { Thing: { type: "object", properties: { id: { type: "string" } } } } },
  };
}

/** What the generator writes for a document, or the error it refuses it with. */
async function operationsModule(doc: OpenApiDocument): Promise<string> {
  return formatTypeScript(renderDocumentOperations("v1", buildManifest("v1", doc, {})));
}

/**
 * The top-level statements of a module, by kind and name, and whether it parsed cleanly: injected
 * code shows up as a statement the generator never writes, or as a syntax error.
 */
function statementsOf(source: string): { statements: string[]; syntaxErrors: number } {
  const file = ts.createSourceFile("v1-operations.ts", source, ts.ScriptTarget.Latest, true);
  const diagnostics = (file as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
  return {
    statements: file.statements.map((s) => {
      const name = (s as { name?: ts.Identifier }).name?.text;
      const declared = ts.isVariableStatement(s)
        ? s.declarationList.declarations.map((d) => d.name.getText()).join(",")
        : name;
      // SyntaxKind names aliases by their first alias (`FirstStatement` for a variable statement).
      const kind = ts.isVariableStatement(s) ? "VariableStatement" : ts.SyntaxKind[s.kind];
      return `${kind} ${declared ?? ""}`.trim();
    }),
    syntaxErrors: diagnostics.length,
  };
}

const EXPECTED_STATEMENTS = [
  "ImportDeclaration",
  "TypeAliasDeclaration Manifest",
  "VariableStatement v1Operations",
  "InterfaceDeclaration V1OperationIds",
  "InterfaceDeclaration V1Paginated",
];

/** The members of `V1OperationIds`: one per operation, named by its method. */
function operationIdMembers(source: string): string[] {
  const file = ts.createSourceFile("v1-operations.ts", source, ts.ScriptTarget.Latest, true);
  const ids = file.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === "V1OperationIds",
  );
  return ids?.members.map((m) => m.name?.getText() ?? "") ?? [];
}

/** Pieces that end a comment, a string, a member or a block, or smuggle a line break. */
const TRICKY = [
  "*/",
  "/*",
  "}",
  "{",
  ";",
  ":",
  '"',
  "'",
  "`",
  "${x}",
  "\n",
  "\r",
  "\u2028",
  "\u2029",
  " ",
  "</script>",
  "globalThis.pwned = 1",
  "(",
  ")",
  "=",
  "//",
];
const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(""));

describe("a hostile document's operationIds", () => {
  it("never become code: the module keeps its statements, or the run is a PipelineError", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("Get", "", "get"), hostileText, async (prefix, rest) => {
        const operationId = prefix + rest;
        let source: string;
        try {
          source = await operationsModule(documentOf(operationId));
        } catch (error) {
          expect(error).toBeInstanceOf(PipelineError);
          expect((error as Error).message).toContain(JSON.stringify(operationId));
          return;
        }
        expect(statementsOf(source)).toEqual({ statements: EXPECTED_STATEMENTS, syntaxErrors: 0 });
        expect(operationIdMembers(source)).toEqual([
          operationId.charAt(0).toLowerCase() + operationId.slice(1),
        ]);
      }),
      { numRuns: runs(40) },
    );
  });

  it("refuses the one that closes the interface and runs a statement", async () => {
    const operationId = "a: 1 } ; globalThis.pwned = 1; interface Z { b";
    await expect(operationsModule(documentOf(operationId))).rejects.toThrow(PipelineError);
  });

  it("refuses method names the client or every object already has", async () => {
    for (const operationId of [
      "__proto__",
      "constructor",
      "ToString",
      "Then",
      "Paginate",
      "DeployDags",
      "Close",
    ]) {
      await expect(operationsModule(documentOf(operationId)), operationId).rejects.toThrow(
        /whose method \w+\(\) the client already has/,
      );
    }
  });
});

describe("a hostile document's paths and prose", () => {
  it("stay inside their comment and string, whatever they hold", async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, async (tail, summary) => {
        const source = await operationsModule(documentOf("ListThings", `/things/${tail}`, summary));
        expect(statementsOf(source)).toEqual({ statements: EXPECTED_STATEMENTS, syntaxErrors: 0 });
        expect(operationIdMembers(source)).toEqual(["listThings"]);
      }),
      { numRuns: runs(30) },
    );
  });

  it("keeps a path that ends the TSDoc comment inside it", async () => {
    const source = await operationsModule(documentOf("ListThings", "/x*/}declare const q: 1;/*"));
    expect(statementsOf(source)).toEqual({ statements: EXPECTED_STATEMENTS, syntaxErrors: 0 });
  });
});
