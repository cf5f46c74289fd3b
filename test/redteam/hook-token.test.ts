/**
 * A hook that throws an error carrying the token (a logger that prints its own config, say):
 * the one warning about it is redacted, whether the first event it failed on was a call's or a
 * workflow's (waiter poll, deploy step), and whatever the hook is (onEvent, logger).
 */
import { describe, expect, it } from "vitest";
import { createAstroClient } from "../../src/index.js";
import { json, useRecordingServer } from "../helpers/client.js";
import { takeWarnings } from "../helpers/warnings.js";

const api = useRecordingServer();

/** The hook-failure warnings `run` provoked (taken, so that they are not stray). */
async function warningsDuring(run: () => Promise<unknown>): Promise<string[]> {
  await run().catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 20));
  return takeWarnings({ code: "ASTRO_HOOK_FAILED" }).map((warning) => `${warning.name} ${warning.message}`);
}

describe("a throwing hook that carries the token", () => {
  it.each(["onEvent", "logger"] as const)(
    "%s failing first on a workflow event: the warning has no token",
    async (hook) => {
      const token = `hook-token-${hook}-${Date.now()}`;
      api.server.handle((_, res) => json(res, 200, { id: "d1", status: "HEALTHY" }));
      const fail = () => {
        throw new Error(`sink down (configured with ${token})`);
      };
      const astro = createAstroClient({
        token,
        organizationId: "o",
        baseUrl: api.server.url,
        throttle: false,
        ...(hook === "onEvent"
          ? { onEvent: fail }
          : { logger: { debug: fail, info: fail, warn: fail, error: fail } }),
      });
      // The waiter's first event is its own poll event only after the GET; deployDags' first is its pack step.
      const warnings = await warningsDuring(() =>
        astro.deployDags({ deploymentId: "d1", tarball: new Uint8Array([0x1f, 0x8b, 8, 0]) }),
      );
      expect(warnings.join("\n")).toContain("sink down");
      expect(warnings.join("\n")).not.toContain(token);
    },
  );
});
