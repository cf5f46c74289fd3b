/**
 * The generator's half of the fake: `buildFakeModel` on a small document (roles by path shape,
 * discriminated bodies, copyable fields). That generated/v1-fake-model.ts is what the pinned v1
 * document gives is the pipeline's concern (pipeline.test.ts, `npm run generate -- --check`).
 */
import { describe, expect, it } from "vitest";
import { buildFakeModel, type FakeModelSource } from "../../scripts/generate/fake-model.js";

const ok = (ref: string) => ({ "200": { content: { "application/json": { schema: { $ref: ref } } } } });
const thing = "#/components/schemas/Thing";
const small: FakeModelSource = {
  info: { title: "T", version: "1" },
  paths: {
    "/things": {
      get: { operationId: "ListThings", responses: ok("#/components/schemas/ThingsPage") },
      post: {
        operationId: "CreateThing",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/New" } } },
        },
        responses: ok(thing),
      },
    },
    "/things/{thingId}": {
      get: { operationId: "GetThing", responses: ok(thing) },
      delete: { operationId: "DeleteThing", responses: { "204": { description: "" } } },
    },
    "/things/{thingId}/poke": { post: { operationId: "PokeThing", responses: ok(thing) } },
    "/things/bulk": { post: { operationId: "BulkThings", responses: { "204": { description: "" } } } },
  },
  components: {
    schemas: {
      Thing: {
        type: "object",
        required: ["id", "kind", "extra"],
        properties: {
          id: { type: "string", example: "t1" },
          kind: { type: "string", enum: ["A", "B"] },
          size: { type: "integer" },
          name: { type: "string", description: "dropped" },
        },
      },
      ThingsPage: {
        type: "object",
        properties: {
          things: { type: "array", items: { $ref: thing } },
          totalCount: { type: "integer" },
        },
      },
      New: {
        oneOf: [{ $ref: "#/components/schemas/NewA" }, { $ref: "#/components/schemas/NewC" }],
        discriminator: {
          propertyName: "kind",
          mapping: { A: "#/components/schemas/NewA", C: "#/components/schemas/NewC" },
        },
      },
      NewA: {
        type: "object",
        properties: { kind: { type: "string", enum: ["A", "C"] }, size: { type: "string" } },
      },
      NewC: { type: "object", properties: { kind: { type: "string" }, name: { type: "string" } } },
      Unused: { type: "object" },
    },
  },
};

describe("buildFakeModel", () => {
  const model = buildFakeModel(small);
  const op = (id: string) => model.operations.find((o) => o.operationId === id)!;

  it("gives each operation its role by path shape", () => {
    expect(model.operations.map((o) => [o.operationId, o.role, o.collection])).toEqual([
      ["ListThings", "list", "/things"],
      ["CreateThing", "create", "/things"],
      ["GetThing", "read", "/things"],
      ["DeleteThing", "delete", "/things"],
      ["PokeThing", "itemAction", "/things"],
      ["BulkThings", "static", undefined],
    ]);
    expect(op("ListThings").success).toMatchObject({
      itemsKey: "things",
      itemSample: "Thing",
      sample: "ThingsPage",
    });
  });

  it("copies only request fields the record can hold, narrowing enums", () => {
    // size is a string in the request and an integer in the record; kind may be any string in
    // NewC, so only the values Thing accepts are copied.
    expect(op("CreateThing").copyFields).toEqual(["kind", "name"]);
    expect(op("CreateThing").copyEnums).toEqual({ kind: ["A", "B"] });
  });

  it("dispatches discriminated bodies on the discriminator and keeps only what validation needs", () => {
    expect(op("CreateThing").requestBody?.schema).toEqual({ $ref: "#/components/schemas/New" });
    expect(model.schemas.New).toMatchObject({
      required: ["kind"],
      properties: { kind: { enum: ["A", "C"] } },
      allOf: [
        { if: { properties: { kind: { const: "A" } } }, then: { $ref: "#/components/schemas/NewA" } },
        { if: { properties: { kind: { const: "C" } } }, then: { $ref: "#/components/schemas/NewC" } },
      ],
    });
    expect(Object.keys(model.schemas)).toEqual(["New", "NewA", "NewC"]);
  });

  it("samples complete records, required names without a schema included", () => {
    expect(model.samples.Thing).toMatchObject({ id: "t1", kind: "A", extra: "" });
    expect(model.statusEnums).toEqual({});
  });

  it("refuses a dereferenced document, whose records have lost their names", () => {
    const schema = small.components!.schemas!.Thing;
    const dereferenced: FakeModelSource = {
      info: small.info,
      paths: {
        "/things/{thingId}": {
          get: {
            operationId: "GetThing",
            responses: { "200": { content: { "application/json": { schema } } } },
          },
        },
      },
    };
    expect(() => buildFakeModel(dereferenced)).toThrow(/GetThing answers no component schema by \$ref/);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(buildFakeModel(small))).toBe(JSON.stringify(model));
  });
});
