/**
 * #14 class 1: a path parameter can never change the path. Whatever a caller passes, either the
 * request goes to exactly the template's segments with the value in its own segment, or nothing
 * is sent and an AstroConfigError names the parameter.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroConfigError, createAstroClient } from "../../../src/v1beta1/index.js";
import { clientFor, rejection, useRecordingServer } from "../../helpers/client.js";
import { runs } from "../../helpers/depth.js";

const ctx = useRecordingServer();
const template = "/organizations/{organizationId}/deployments/{deploymentId}" as const;

/** Spellings of `.` a server or a proxy may decode: percent-encoded, double-encoded, mixed case, look-alikes. */
const dot = fc.constantFrom(".", "%2e", "%2E", "%252e", "%252E", "%25252e", "\u2024", "\uff0e");
const separator = fc.constantFrom("/", "\\", "%2f", "%2F", "%5c", "%5C", "%252f", "\uff0f");
const dotSegments = fc.oneof(
  dot,
  fc.tuple(dot, dot).map(([a, b]) => a + b),
);
const badValues = fc.oneof(
  dotSegments,
  fc
    .tuple(fc.string({ maxLength: 5 }), separator, fc.string({ maxLength: 5 }))
    .map((parts) => parts.join("")),
  fc.constantFrom("", " ", "\t", "a b", "id\n", "\u200bid", "%20", "%zz%2e%2e/"),
  fc.constantFrom(undefined, null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);

describe("path parameters", () => {
  it("rejects values that would remove, add or climb a segment, naming the parameter, before sending", async () => {
    const astro = clientFor(ctx.server, { throttle: false });
    await fc.assert(
      fc.asyncProperty(badValues, async (value) => {
        ctx.server.received.length = 0;
        const viaPath = await rejection(
          astro.platform.GET(template, {
            params: { path: { organizationId: "o", deploymentId: value as string } },
          }),
        );
        expect(viaPath).toBeInstanceOf(AstroConfigError);
        expect(viaPath.message).toMatch(/path parameter deploymentId /);
        const viaMethod = await rejection(
          astro.platform.getDeployment({ organizationId: "o", deploymentId: value as string }),
        );
        expect(viaMethod).toBeInstanceOf(AstroConfigError);
        expect(viaMethod.message).toMatch(/deploymentId/);
        expect(ctx.server.received).toHaveLength(0);
      }),
      { numRuns: runs(300) },
    );
  });

  it("sends every accepted value in exactly its own segment", async () => {
    const astro = clientFor(ctx.server, { throttle: false });
    const values = fc.oneof(
      fc.string({ unit: "binary", minLength: 1, maxLength: 12 }),
      fc.stringMatching(/^[a-z0-9%./\\-]{1,8}$/),
      fc.double(),
      fc.integer(),
    );
    await fc.assert(
      fc.asyncProperty(values, async (value) => {
        ctx.server.received.length = 0;
        try {
          await astro.platform.GET(template, {
            params: { path: { organizationId: "org", deploymentId: value as string } },
          });
        } catch (error) {
          expect(error).toBeInstanceOf(AstroConfigError);
          expect(ctx.server.received).toHaveLength(0);
          return;
        }
        expect(ctx.server.received).toHaveLength(1);
        const segments = new URL(ctx.server.received[0]!.url, "http://x").pathname.split("/");
        expect(segments.slice(0, 4)).toEqual(["", "organizations", "org", "deployments"]);
        expect(segments).toHaveLength(5);
        expect(decodeURIComponent(segments[4]!)).toBe(String(value));
      }),
      { numRuns: runs(300) },
    );
  });

  it("applies the same rule to the default organizationId, at construction", () => {
    fc.assert(
      fc.property(badValues, (value) => {
        const build = () => createAstroClient({ token: "t", organizationId: value as string });
        if (value === undefined) return; // no default: allowed
        expect(build).toThrow(AstroConfigError);
        expect(build).toThrow(/organizationId/);
      }),
      { numRuns: runs(200) },
    );
  });

  it("rejects base URLs with a query or a fragment at construction", () => {
    for (const url of [
      "http://h/?x=1",
      "http://h/base?",
      "http://h/#f",
      "http://h/base#",
      "https://h/a?b#c",
    ]) {
      expect(() => createAstroClient({ token: "t", baseUrl: url })).toThrow(
        /baseUrl must not have a query or a fragment/,
      );
      expect(() => createAstroClient({ token: "t", urls: { platform: url } })).toThrow(
        /urls\.platform must not have a query or a fragment/,
      );
    }
  });

  it("a base URL with braces is not filled in by path parameters", async () => {
    const astro = createAstroClient({
      token: "t",
      urls: { platform: `${ctx.server.url}/{organizationId}`, iam: ctx.server.url },
      throttle: false,
    });
    await astro.platform.GET("/organizations/{organizationId}/clusters", {
      params: { path: { organizationId: "o" } },
    });
    expect(ctx.server.received[0]!.url).toBe("/%7BorganizationId%7D/organizations/o/clusters");
  });

  it("rejects a path template that would climb or cut, from JavaScript callers without types", async () => {
    const astro = clientFor(ctx.server, { throttle: false });
    for (const path of [
      "/organizations/../admin",
      "/a/./b",
      "/a//b",
      "organizations",
      "/a?x=1",
      "/a#f",
      "/%2e%2e/x",
      "/a\\b",
      "",
    ]) {
      const error = await rejection(astro.platform.GET(path as never));
      expect(error, path).toBeInstanceOf(AstroConfigError);
      expect(error.message, path).toMatch(/is not a path template of this API/);
    }
    expect(ctx.server.received).toHaveLength(0);
  });

  it("rejects a per-call baseUrl, which would send the token elsewhere", async () => {
    const astro = clientFor(ctx.server);
    const error = await rejection(astro.platform.GET("/organizations", { baseUrl: "http://127.0.0.1:9" }));
    expect(error).toBeInstanceOf(AstroConfigError);
    expect(error.message).toMatch(/got baseUrl/);
  });
});
