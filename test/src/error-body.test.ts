import { describe, expect, it } from "vitest";
import { MAX_DETAIL_LENGTH, parseErrorBody, violationsOf } from "../../src/errors/error-body.js";

const none = new Headers();

describe("parseErrorBody", () => {
  it("reads the spec's error body", () => {
    const body = '{"message":"RBAC: access denied","requestId":"req-1","statusCode":403}';
    expect(parseErrorBody(body, "application/json", none)).toEqual({
      detail: "RBAC: access denied",
      requestId: "req-1",
      body: { message: "RBAC: access denied", requestId: "req-1", statusCode: 403 },
    });
  });

  it("reads problem+json (title and detail)", () => {
    const body =
      '{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request","status":422,"detail":"body must have required property \'name\'"}';
    expect(parseErrorBody(body, "application/problem+json", none).detail).toBe(
      "Invalid request: body must have required property 'name'",
    );
  });

  it("keeps plain text and takes the request id from a header", () => {
    const headers = new Headers({ "x-request-id": "hdr-7" });
    expect(parseErrorBody("Unauthorized\n", "text/plain", headers)).toEqual({
      detail: "Unauthorized",
      requestId: "hdr-7",
      body: "Unauthorized\n",
    });
  });

  it("reduces HTML to its title", () => {
    const html =
      "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>";
    expect(parseErrorBody(html, "text/html", none).detail).toBe("502 Bad Gateway");
    expect(
      parseErrorBody("<html><body><p>Service <b>down</b></p><script>x()</script></body></html>", null, none)
        .detail,
    ).toBe("Service down");
  });

  it("handles empty, invalid JSON, JSON that is not an object, and huge bodies without throwing", () => {
    expect(parseErrorBody("", "application/json", none)).toEqual({
      detail: undefined,
      requestId: undefined,
      body: undefined,
    });
    expect(parseErrorBody('{"message": "trunc', "application/json", none).detail).toBe('{"message": "trunc');
    expect(parseErrorBody('["a"]', "application/json", none)).toMatchObject({ detail: '["a"]', body: ["a"] });
    expect(parseErrorBody("null", "application/json", none)).toMatchObject({ detail: "null", body: null });
    const huge = parseErrorBody(JSON.stringify({ message: "x".repeat(100_000) }), "application/json", none);
    expect(huge.detail!.length).toBeLessThan(MAX_DETAIL_LENGTH + 40);
    expect(huge.detail).toMatch(/… \(100000 characters\)$/);
  });
});

describe("violationsOf", () => {
  it("reads Prism's sl-violations header, and never throws on a bad one", () => {
    const header = JSON.stringify([
      {
        location: ["request", "body"],
        severity: "Error",
        code: "required",
        message: "must have required property 'name'",
      },
    ]);
    expect(violationsOf(new Headers({ "sl-violations": header }))).toBe(
      "request.body: must have required property 'name'",
    );
    expect(violationsOf(new Headers({ "sl-violations": "not json" }))).toBe("not json");
    expect(violationsOf(new Headers())).toBeUndefined();
  });
});
