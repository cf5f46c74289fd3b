/**
 * Every operation of the v1 document, answered by the fake with its declared success status and a
 * body that validates against the document (ajv) — parents and the resource itself seeded first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { v1FakeModel } from "../../generated/v1-fake-model.js";
import { startAstroFake, type AstroFake, type FakeRecord } from "../../src/testing/index.js";
import { call } from "./fake-client.js";
import { operationOf, responseProblems, sampleRequestBody, v1Document } from "./v1-document.js";

const operationIds = Object.values(
  v1Document.paths as Record<string, Record<string, { operationId: string }>>,
).flatMap((item) => Object.values(item).map((op) => op.operationId));
const collections = new Set(v1FakeModel.operations.flatMap((op) => (op.collection ? [op.collection] : [])));

function keyOf(record: FakeRecord): string {
  const key = "id" in record ? "id" : Object.keys(record).find((k) => k.endsWith("Id"))!;
  return String(record[key]);
}

/** The concrete path of a template, seeding every resource it names (parents first). */
function seededPath(fake: AstroFake, template: string): string {
  const segments = template.split("/");
  const out: string[] = [""];
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    if (!segment.startsWith("{")) out.push(segment);
    else if (segment === "{organizationId}") out.push(fake.organizationId);
    else if (collections.has(segments.slice(0, i).join("/"))) out.push(keyOf(fake.state.seed(out.join("/"))));
    else out.push(`${segment.slice(1, -1)}-1`);
  }
  return out.join("/");
}

/** A query parameter's value in the document: its examples and enums are scalars. */
type Scalar = string | number | boolean;

function requiredQuery(operationId: string): Record<string, string> {
  const params = (operationOf(operationId).operation.parameters ?? []) as {
    in: string;
    name: string;
    required?: boolean;
    schema?: { example?: Scalar | Scalar[]; enum?: Scalar[]; format?: string; items?: { enum?: Scalar[] } };
  }[];
  const query: Record<string, string> = {};
  for (const p of params.filter((p) => p.in === "query" && p.required)) {
    const s = p.schema ?? {};
    const example = Array.isArray(s.example) ? s.example[0] : s.example;
    query[p.name] = String(
      s.items?.enum?.[0] ??
        example ??
        s.enum?.[0] ??
        (s.format === "date-time" ? "2026-01-01T00:00:00Z" : "x"),
    );
  }
  return query;
}

describe("every v1 operation", () => {
  let fake: AstroFake;
  beforeAll(async () => {
    fake = await startAstroFake({ rateLimits: false });
  });
  afterAll(() => fake.close());

  it("covers the document's 75 operations", () => {
    expect(operationIds).toHaveLength(75);
    expect(v1FakeModel.operations.map((op) => op.operationId).sort()).toEqual([...operationIds].sort());
  });

  it.each(operationIds)(
    "%s answers its success status with a body the document accepts",
    async (operationId) => {
      const { path: template, method, operation } = operationOf(operationId);
      const path = seededPath(fake, template);
      let body = sampleRequestBody(operationId);
      if (operationId === "FinalizeDeploy") {
        // A finalize needs an upload to the deploy's URL, as on Astro.
        const deploy = fake.state.get(path.replace(/\/finalize$/, ""))!;
        const upload = await fetch(String(deploy.dagsUploadUrl), {
          method: "PUT",
          headers: { "x-ms-blob-type": "BlockBlob" },
          body: "tarball",
        });
        body = { dagTarballVersion: upload.headers.get("x-ms-version-id") };
      }
      const answer = await call(fake, method.toUpperCase(), path, {
        body,
        query: requiredQuery(operationId),
      });
      const responses = operation.responses as Record<string, { content?: object }>;
      const success = Object.keys(responses).find((s) => s.startsWith("2"))!;
      expect(answer.status, answer.text).toBe(Number(success));
      const declared = Object.keys(responses[success]!.content ?? {})[0];
      if (declared === undefined) return expect(answer.text).toBe("");
      expect(answer.headers.get("content-type")).toContain(declared);
      if (declared === "application/json")
        expect(responseProblems(operationId, answer.status, answer.json)).toEqual([]);
    },
  );
});
