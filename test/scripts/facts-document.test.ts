import { describe, expect, it } from "vitest";
import { factsDocument } from "../../scripts/generate/facts-document.js";
import type { OpenApiDocument } from "../../scripts/openapi/document.js";
import { loadSpec } from "../../scripts/openapi/load.js";
import type { Pin } from "../../scripts/openapi/pins.js";
import { factsOrigin } from "../../src/mock/facts.js";
import { DOCUMENT_NAMES } from "../../src/operations/manifest.js";
import { pinnedFacts } from "../helpers/revisions.js";

const pin: Pin = {
  upstream: "https://example.test/spec",
  server: "https://example.test/v1",
  revision: "2020-01-01",
  file: "v1/v1.0/2020-01-01.yaml",
  sha256: "a".repeat(64),
};

/** A small document of this project's own writing, with prose everywhere OpenAPI allows it. */
const source = {
  openapi: "3.0.3",
  info: { title: "Widgets", version: "v1.0", description: "Prose.", contact: { name: "x" } },
  servers: [{ url: "https://example.test/v1", description: "Prose." }],
  tags: [{ name: "Widget", description: "Prose." }],
  externalDocs: { url: "https://example.test/docs" },
  paths: {
    "/widgets/{id}": {
      summary: "Prose.",
      get: {
        operationId: "GetWidget",
        summary: "Prose.",
        description: "Prose.",
        tags: ["Widget"],
        "x-permission": [{ action: "widget.get" }],
        parameters: [
          { name: "id", in: "path", required: true, description: "Prose.", schema: { type: "string" } },
        ],
        responses: {
          "200": {
            description: "Prose.",
            content: {
              "application/json": {
                schema: { $ref: "#/components/schemas/Widget" },
                examples: { one: { summary: "Prose.", value: { description: "kept: example data" } } },
              },
            },
          },
          default: { $ref: "#/components/responses/Error" },
        },
      },
    },
  },
  components: {
    responses: { Error: { description: "Prose." } },
    schemas: {
      Widget: {
        type: "object",
        title: "Prose",
        description: "Prose.",
        required: ["description"],
        properties: {
          description: { type: "string", description: "Prose.", example: "kept: a property's example" },
          kind: { type: "string", enum: ["a", "b"], default: "a" },
        },
      },
    },
    securitySchemes: { JWT: { type: "http", scheme: "bearer", description: "Prose." } },
  },
} as unknown as OpenApiDocument;

describe("factsDocument", () => {
  const facts = factsDocument("v1", source, pin);
  const text = JSON.stringify(facts);

  it("keeps paths, parameters, schemas, status codes and examples, and drops every piece of prose", async () => {
    expect(text).not.toContain("Prose");
    expect(text).not.toContain("x-permission");
    expect(facts).not.toHaveProperty("tags");
    expect(facts).not.toHaveProperty("externalDocs");
    expect(facts.info).toEqual({ title: "Widgets", version: "v1.0" });
    const doc = await loadSpec(text, "facts.json");
    const get = doc.paths["/widgets/{id}"]!.get as Record<string, unknown>;
    expect(get).toMatchObject({
      operationId: "GetWidget",
      tags: ["Widget"],
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
    });
    // A response keeps its (required) description, emptied.
    expect(get.responses).toMatchObject({
      "200": { description: "", content: { "application/json": { examples: { one: { value: {} } } } } },
      default: { $ref: "#/components/responses/Error" },
    });
    // A property named `description` is a property, and example data is data.
    expect(facts.components).toMatchObject({
      schemas: {
        Widget: {
          required: ["description"],
          properties: {
            description: { type: "string", example: "kept: a property's example" },
            kind: { enum: ["a", "b"], default: "a" },
          },
        },
      },
      securitySchemes: { JWT: { type: "http", scheme: "bearer" } },
    });
    expect(text).toContain("kept: example data");
  });

  it("records the revision and hash it was derived from", () => {
    expect(factsOrigin(text)).toEqual({ api: "v1", revision: "2020-01-01", sha256: pin.sha256 });
    expect(factsOrigin("openapi: 3.0.3\n")).toBeUndefined();
  });

  it("is what generated/ holds for each pinned document: valid OpenAPI, with no prose left to drop", async () => {
    for (const api of DOCUMENT_NAMES) {
      const committed = pinnedFacts(api);
      const doc = await loadSpec(committed, `${api}.facts.json`);
      const origin = factsOrigin(committed)!;
      const again = factsDocument(api, doc, { ...pin, revision: origin.revision, sha256: origin.sha256 });
      expect(again, api).toEqual(JSON.parse(committed));
    }
  });
});
