/**
 * #26 class 10: every token error names `ASTRO_API_TOKEN`, as the README promises, and none
 * shows the value — whether the token came from options, the environment or a token function.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { AstroConfigError, createAstroClient } from "../../../src/index.js";
import { rejection, useRecordingServer } from "../../helpers/client.js";

const ctx = useRecordingServer();
afterEach(() => vi.unstubAllEnvs());

const bad: [string, unknown][] = [
  ["empty", ""],
  ["a number", 12345],
  ["null", null],
  ["with a space", "secret value-123"],
  ["with a line break", "secret\r\nX-Injected: 1"],
];

describe("token errors", () => {
  it.each(bad)("name ASTRO_API_TOKEN for options.token %s", (_, token) => {
    let error: unknown;
    try {
      createAstroClient({ token: token as string });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AstroConfigError);
    expect((error as Error).message).toContain("ASTRO_API_TOKEN");
    if (typeof token === "string" && token !== "") expect((error as Error).message).not.toContain("secret");
  });

  it.each(bad.filter(([, token]) => typeof token === "string"))(
    "name ASTRO_API_TOKEN when the environment's token is %s",
    (_, token) => {
      vi.stubEnv("ASTRO_API_TOKEN", token as string);
      expect(() => createAstroClient()).toThrow(/ASTRO_API_TOKEN/);
    },
  );

  it("name ASTRO_API_TOKEN when no token is given at all", () => {
    vi.stubEnv("ASTRO_API_TOKEN", undefined);
    expect(() => createAstroClient()).toThrow(/ASTRO_API_TOKEN/);
  });

  it.each(bad)("name ASTRO_API_TOKEN for a token function returning %s", async (_, token) => {
    const astro = createAstroClient({
      token: () => token as string,
      baseUrl: ctx.server.url,
      throttle: false,
    });
    const error = await rejection(astro.GET("/users/self"));
    expect(error).toBeInstanceOf(AstroConfigError);
    expect(error.message).toContain("ASTRO_API_TOKEN");
    expect(ctx.server.received).toHaveLength(0);
  });
});
