/**
 * Garbage in: arbitrary paths, methods, encodings and bodies. The fake answers every one with a
 * deliberate status (never a 500 of its own, never a hang), and an answer never carries the token.
 */
import { request } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { v1FakeModel } from "../../generated/v1-fake-model.js";
import { startAstroFake, type AstroFake } from "../../src/testing/index.js";
import { runs } from "../helpers/depth.js";

let fake: AstroFake;
beforeAll(async () => {
  fake = await startAstroFake({ rateLimits: false, tokens: ["secret-token-123"] });
});
afterAll(() => fake.close());

const segment = fc.oneof(
  fc.constantFrom(
    "organizations",
    "deployments",
    "deploys",
    "finalize",
    "..",
    ".",
    "",
    "%2F",
    "%",
    "%00",
    "self",
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const template = fc.constantFrom(...v1FakeModel.operations.map((op) => op.path));
const body = fc.oneof(
  fc.constant(undefined),
  fc.json(),
  fc.string({ maxLength: 40 }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
);

it("answers arbitrary requests deliberately", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("GET", "POST", "DELETE", "PUT", "PATCH"),
      fc.oneof(
        fc.array(segment, { maxLength: 7 }).map((s) => `/v1/${s.join("/")}`),
        // Real templates with the organization filled and the rest arbitrary: reaches validation.
        fc.tuple(template, fc.array(segment, { minLength: 6, maxLength: 6 })).map(([t, values]) => {
          let i = 0;
          return `/v1${t.replace(/\{[^}]+\}/g, (p) => (p === "{organizationId}" ? fake.organizationId : values[i++]!))}`;
        }),
      ),
      body,
      async (method, path, payload) => {
        const response = await fetch(`${fake.url}${path}`, {
          method,
          headers: { authorization: "Bearer secret-token-123", "content-type": "application/json" },
          body: method === "GET" || payload === undefined ? undefined : payload,
          signal: AbortSignal.timeout(5000),
        });
        const text = await response.text();
        expect(response.status, text).not.toBe(500);
        expect([200, 204, 400, 404, 405]).toContain(response.status);
        expect(text).not.toContain("secret-token-123");
      },
    ),
    { numRuns: runs(300) },
  );
});

it("answers raw request targets that URL parsers choke on", async () => {
  const { port } = new URL(fake.url);
  const targets = [
    "//",
    "//evil.example/v1/organizations",
    "/v1/..//",
    "/v1/%E0%A4%A/x",
    "/v1//organizations",
    "*",
  ];
  for (const path of targets) {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, path, headers: { authorization: "Bearer secret-token-123" } },
        (res) => res.resume().on("end", () => resolve(res.statusCode)),
      );
      req.on("error", reject);
      req.end();
    });
    expect(status, path).toBe(404);
  }
});
