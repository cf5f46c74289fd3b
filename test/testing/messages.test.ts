/**
 * The fake's 400s as a user reads them: each `fieldErrors` entry says its field once
 * (`name: required`), and `BadRequestError.message` lists a few entries and counts the rest,
 * within a bound, whatever the server sends.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadRequestError } from "../../src/errors/error-classes.js";
import { responseInfo } from "../../src/errors/response-info.js";
import { createAstroClient, type AstroClient } from "../../src/index.js";
import { startAstroFake, type AstroFake } from "../../src/testing/index.js";
import { runs } from "../helpers/depth.js";

let fake: AstroFake;
let astro: AstroClient;
beforeAll(async () => {
  fake = await startAstroFake();
  astro = createAstroClient({ baseUrl: fake.url, token: fake.token, organizationId: fake.organizationId });
});
afterAll(async () => {
  await astro.close();
  await fake.close();
});

async function badRequest(run: () => Promise<unknown>): Promise<BadRequestError> {
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BadRequestError);
  return error as BadRequestError;
}

describe("the fake's 400", () => {
  it("names a missing field once: `name: required`", async () => {
    const bad = await badRequest(() => astro.createWorkspace({ body: {} as never }));
    expect(bad.fieldErrors).toEqual([{ code: "required", field: "name", message: "required" }]);
    expect(bad.message).toMatch(
      /^400 Bad Request — Invalid request: 1 field error \(POST \/organizations\/\{organizationId\}\/workspaces, requestId \w+\)\. Field errors: name: required$/,
    );
  });

  it("words every entry to follow its field, without repeating it", async () => {
    const bad = await badRequest(() =>
      astro.createDeployment({
        body: {
          type: "STANDARD",
          workspaceId: 5,
          cloudProvider: "MOON",
          region: 3,
          executor: "Y",
          isCicdEnforced: "yes",
          isDagDeployEnabled: 3,
        } as never,
      }),
    );
    const entries = bad.fieldErrors ?? [];
    expect(entries.length).toBeGreaterThan(5);
    expect(entries).toEqual(
      expect.arrayContaining([
        { code: "required", field: "name", message: "required" },
        { code: "type", field: "workspaceId", message: "must be string" },
        { code: "enum", field: "cloudProvider", message: "must be one of AWS, AZURE, GCP" },
      ]),
    );
    for (const entry of entries) {
      expect(entry.message).not.toContain(entry.field);
      expect(entry.message).not.toMatch(/property/);
    }
    expect(bad.message).toContain(`Invalid request: ${entries.length} field errors`);
    expect(bad.message).toMatch(new RegExp(` and ${entries.length - 5} more$`));
  });
});

describe("BadRequestError's summary of fieldErrors", () => {
  const request = {
    api: "v1",
    method: "POST",
    path: "/organizations/{organizationId}/workspaces",
    operationId: "CreateWorkspace",
    url: "http://127.0.0.1/v1/organizations/o/workspaces",
    attempts: 1,
  };
  const errorOf = (fieldErrors: unknown[]) => {
    const text = JSON.stringify({ message: "invalid", statusCode: 400, fieldErrors });
    const response = new Response(text, { status: 400, headers: { "content-type": "application/json" } });
    return new BadRequestError(responseInfo(response, text, []), request);
  };

  it("says each entry once", () => {
    const bad = errorOf([
      { field: "name", code: "required", message: "name is required" },
      { field: "description", code: "max", message: "at most 300 characters" },
      { field: "region", code: "", message: "" },
    ]);
    expect(bad.message).toMatch(
      /Field errors: name: is required; description: at most 300 characters \(max\); region: invalid$/,
    );
  });

  it("stays bounded and counts what it leaves out, for any list", () => {
    const entry = fc.record({
      field: fc.string({ maxLength: 300 }),
      code: fc.string({ maxLength: 300 }),
      message: fc.string({ maxLength: 300 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 400 }), (entries) => {
        const bad = errorOf(entries);
        const summary = bad.message.slice(bad.message.indexOf("Field errors: "));
        // 500 for the list, a little more when a single entry is cut with a note of its length.
        expect(summary.length).toBeLessThanOrEqual(520);
        const listed = summary.match(/ and (\d+) more$/);
        const shown = listed ? entries.length - Number(listed[1]) : entries.length;
        expect(shown).toBeGreaterThanOrEqual(1);
        expect(shown).toBeLessThanOrEqual(5);
      }),
      { numRuns: runs(150) },
    );
  });
});
