import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { InvalidSpecError } from "../../scripts/shared/errors.js";
import { loadSpec } from "../../scripts/openapi/load.js";
import { parseSpec } from "../../scripts/openapi/parse.js";
import { NO_CORPUS, pinnedFacts, revisionNamed, revisionText } from "../helpers/revisions.js";

/** The pinned platform document's facts (valid OpenAPI, in every clone). */
const newest = pinnedFacts("platform");

async function problemsOf(text: string): Promise<InvalidSpecError> {
  try {
    await loadSpec(text, "broken.yaml");
  } catch (error) {
    if (error instanceof InvalidSpecError) return error;
    throw error;
  }
  throw new Error("the document was accepted");
}

describe("spec validation", () => {
  it("accepts the pinned documents' facts", async () => {
    for (const api of ["v1", "platform", "iam"] as const)
      await expect(loadSpec(pinnedFacts(api), `${api}.facts.json`), api).resolves.toMatchObject({
        openapi: "3.0.3",
      });
  });

  it("reports invalid YAML with its line and column", async () => {
    const error = await problemsOf("openapi: 3.0.3\ninfo:\n  title: [unclosed\n  version: 1\n");
    expect(error.message).toMatch(/^broken\.yaml is not a valid OpenAPI document/);
    expect(error.message).toMatch(/line \d+, column \d+/);
  });

  it.skipIf(NO_CORPUS)(
    "reads every pinned document as the careful YAML parser does, and refuses duplicate keys",
    () => {
      for (const [api, name] of [
        ["v1", "2026-07-23"],
        ["platform", "2024-07-31"],
        ["iam", "2024-07-31"],
      ] as const) {
        const text = revisionText(revisionNamed(api, name));
        expect(parseSpec(text, name), api).toEqual(parse(text));
      }
      expect(() => parseSpec("openapi: 3.0.3\nopenapi: 3.1.0\n", "twice.yaml")).toThrow(
        /twice\.yaml.*DUPLICATE_KEY at line 2/s,
      );
    },
  );

  it("bounds alias expansion: a billion laughs is refused, not expanded", () => {
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++)
      laughs.push(
        `${"abcdefghijkl"[i]}: &${"abcdefghijkl"[i]} [${Array(10)
          .fill(`*${"abcdefghijkl"[i - 1]}`)
          .join(", ")}]`,
      );
    expect(() => parseSpec(laughs.join("\n"), "laughs.yaml")).toThrow(/laughs\.yaml/);
  });

  it("rejects a document that is not an object", async () => {
    expect(() => parseSpec("", "empty.yaml")).toThrow(/empty\.yaml.*not an object/s);
    expect(() => parseSpec("- a\n- b\n", "list.yaml")).toThrow(/not an object/);
  });

  it("lists every schema problem of valid YAML that is not valid OpenAPI, by JSON pointer", async () => {
    const doc = parseSpec(newest, "x");
    delete (doc.info as Partial<typeof doc.info>).title;
    const list = doc.paths["/organizations"]!.get!;
    (list.parameters![0] as { in: string }).in = "body";
    list.responses["200"] = { foo: 1 } as never;
    const error = await problemsOf(JSON.stringify(doc));
    expect(error.problems).toContainEqual({
      pointer: "/info",
      problem: "must have required property 'title'",
    });
    expect(error.problems).toContainEqual({
      pointer: "/paths/~1organizations/get/parameters/0/in",
      problem: 'must be one of "path", "query", "header", "cookie"',
    });
    expect(error.problems).toContainEqual({
      pointer: "/paths/~1organizations/get/responses/200",
      problem: "must have required property 'description'",
    });
    // The oneOf echoes of each problem are not listed.
    expect(error.problems.some((p) => /\$ref|oneOf/.test(p.problem))).toBe(false);
    expect(error.message).toContain("broken.yaml#/info: must have required property 'title'");
  });
});
