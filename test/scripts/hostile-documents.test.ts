/**
 * The generator fed a hostile OpenAPI document (small documents written here): whatever its
 * operationIds, paths and prose hold, `generated/<api>-operations.ts` is the module the generator
 * means to write (its statements, no others) or the run is a `PipelineError` naming the input.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { buildManifest } from "../../scripts/generate/build-manifest.js";
import { renderDocumentOperations } from "../../scripts/generate/render-manifest.js";
import { deref } from "../../scripts/openapi/deref.js";
import { loadSpec } from "../../scripts/openapi/load.js";
import type { OpenApiDocument } from "../../scripts/openapi/document.js";
import { InvalidSpecError, PipelineError } from "../../scripts/shared/errors.js";
import { formatTypeScript } from "../../scripts/shared/prettier.js";
import { runs } from "../helpers/depth.js";
import { startRecordingServer } from "../helpers/recording-server.js";

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
          // An empty operationId is a missing one, and said so; any other is quoted.
          expect((error as Error).message).toContain(
            operationId === "" ? "has no operationId" : JSON.stringify(operationId),
          );
          return;
        }
        expect(statementsOf(source)).toEqual({ statements: EXPECTED_STATEMENTS, syntaxErrors: 0 });
        expect(operationIdMembers(source)).toEqual([
          operationId.charAt(0).toLowerCase() + operationId.slice(1),
        ]);
      }),
      // The empty id is always among them (CI drew it once: the message named no id).
      { numRuns: runs(40), examples: [["", ""]] },
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
  it("stay inside their comment and string, or the path is a PipelineError", async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, async (tail, summary) => {
        let source: string;
        try {
          source = await operationsModule(documentOf("ListThings", `/things/${tail}`, summary));
        } catch (error) {
          expect(error).toBeInstanceOf(PipelineError);
          expect((error as Error).message).toMatch(/would not reach the server as written/);
          return;
        }
        expect(statementsOf(source)).toEqual({ statements: EXPECTED_STATEMENTS, syntaxErrors: 0 });
        expect(operationIdMembers(source)).toEqual(["listThings"]);
      }),
      { numRuns: runs(30) },
    );
  });

  it("keeps a path that ends the TSDoc comment inside it", async () => {
    for (const path of ["/x*/y", "/x*/}declare const q: 1;/*"]) {
      const rendered = operationsModule(documentOf("ListThings", path));
      if (path === "/x*/y")
        expect(statementsOf(await rendered)).toEqual({ statements: EXPECTED_STATEMENTS, syntaxErrors: 0 });
      else await expect(rendered).rejects.toThrow(PipelineError);
    }
  });

  it("are sent as written, or refused: no path a URL would resolve, query or decode", () => {
    const segment = fc.oneof(
      fc.constantFrom(
        "things",
        "{thingId}",
        "..",
        ".",
        "",
        "a?b=1",
        "#x",
        "%2F",
        "%2e%2e",
        "a b",
        "a\\b",
        "{a}b",
        "x:y",
        "~",
      ),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const path = `/${segments.join("/")}`;
        let entries;
        try {
          entries = buildManifest("v1", documentOf("ListThings", path), {});
        } catch (error) {
          expect(error).toBeInstanceOf(PipelineError);
          return;
        }
        // Filled as the client fills it (a parameter becomes one encoded segment), then parsed as fetch does.
        const filled = entries[0]!.path.replace(/\{[^}]+\}/g, "value");
        const url = new URL(`https://api.astronomer.io/v1${filled}`);
        expect(url.pathname).toBe(`/v1${filled}`);
        expect(url.search + url.hash).toBe("");
      }),
      {
        numRuns: runs(300),
        examples: [[["things", "..", "admin"]], [["things?x=1"]], [["%2e%2e", "admin"]]],
      },
    );
  });
});

/** What `loadSpec` rejects a document with (a document it accepts fails the test). */
async function refusal(text: string): Promise<InvalidSpecError> {
  const error = await loadSpec(text, "hostile.yaml").then(
    () => new Error("the document was accepted"),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InvalidSpecError);
  return error as InvalidSpecError;
}

const HEAD = "openapi: 3.0.3\ninfo: {title: hostile, version: v1.0}\npaths: {}\n";

describe("a hostile document's YAML", () => {
  it("bounds a billion laughs whatever its anchors are called", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(".", "é", "+", "$", "~", "(", "%", "a"), async (first) => {
        const name = (i: number): string => `${first}l${i}`;
        const lines = [`x-l0: &${name(0)} [lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
        for (let i = 1; i < 12; i++)
          lines.push(
            `x-l${i}: &${name(i)} [${Array(9)
              .fill(`*${name(i - 1)}`)
              .join(", ")}]`,
          );
        expect((await refusal(HEAD + lines.join("\n"))).message).toMatch(/alias/i);
      }),
      { numRuns: runs(8) },
    );
  }, 30_000);

  it("refuses an alias inside its own anchor's node, which would make the document contain itself", async () => {
    for (const anchor of ["x", ".x"]) {
      const text = `${HEAD}components:\n  schemas:\n    X: &${anchor}\n      type: object\n      properties:\n        self: *${anchor}\n`;
      const error = await refusal(text);
      expect(error.problems.map((p) => p.pointer)).toEqual(["/components/schemas/X/properties/self"]);
      expect(error.problems[0]!.problem).toMatch(/contain itself/);
    }
  });
});

describe("a hostile document's $refs", () => {
  it("refuses a $ref that names an inherited property, not a node of the document", async () => {
    for (const ref of [
      "#/components/responses/constructor",
      "#/__proto__",
      "#/paths/~1things/get/toString",
      "#/components/schemas/Thing/properties/hasOwnProperty",
    ]) {
      const doc = documentOf("ListThings");
      // A responses component, so that the validator finds the map the name is looked up in.
      doc.components!.responses = { Listed: { description: "ok" } };
      doc.paths["/things"]!.get!.responses["200"] = { $ref: ref };
      const error = await refusal(JSON.stringify(doc));
      expect(error.problems, ref).toEqual([
        {
          pointer: "/paths/~1things/get/responses/200/$ref",
          problem: `$ref ${ref} names nothing in the document`,
        },
      ]);
      expect(() => deref(doc, { $ref: ref }), ref).toThrow(PipelineError);
    }
  });

  it("refuses $refs that only name each other, which no tool can resolve", async () => {
    const doc = documentOf("ListThings");
    doc.components!.schemas!.A = { $ref: "#/components/schemas/B" };
    doc.components!.schemas!.B = { $ref: "#/components/schemas/A" };
    doc.components!.schemas!.Self = { $ref: "#/components/schemas/Self" };
    const error = await refusal(JSON.stringify(doc));
    expect(error.problems.map((p) => p.pointer).sort()).toEqual([
      "/components/schemas/A/$ref",
      "/components/schemas/B/$ref",
      "/components/schemas/Self/$ref",
    ]);
    expect(error.message).toContain(
      "$ref #/components/schemas/B goes round a cycle of references: #/components/schemas/B → #/components/schemas/A → #/components/schemas/B",
    );
  });

  it("accepts a schema that contains itself through a property, as recursive schemas do", async () => {
    const doc = documentOf("ListThings");
    doc.components!.schemas!.Thing!.properties!.parent = { $ref: "#/components/schemas/Thing" };
    await expect(loadSpec(JSON.stringify(doc), "recursive.json")).resolves.toBeDefined();
  });

  it("reads and fetches nothing an external $ref names", async () => {
    const server = await startRecordingServer();
    const dir = await mkdtemp(join(tmpdir(), "hostile-ref-"));
    try {
      await writeFile(join(dir, "secret.yaml"), "Secret: {type: object}\n");
      for (const ref of [
        `${server.url}/x.yaml#/Thing`,
        `${join(dir, "secret.yaml")}#/Secret`,
        `../../../../../../../../..${join(dir, "secret.yaml")}#/Secret`,
        `file://${join(dir, "secret.yaml")}#/Secret`,
      ]) {
        const doc = documentOf("ListThings");
        doc.components!.schemas!.Thing = { $ref: ref };
        await expect(refusal(JSON.stringify(doc)), ref).resolves.toBeInstanceOf(InvalidSpecError);
      }
      expect(server.received).toEqual([]);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
