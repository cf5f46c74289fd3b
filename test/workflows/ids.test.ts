/**
 * Property: whatever a caller passes as an id, a waiter either refuses it before any request or
 * polls exactly the resource it names; an id can never make the URL point somewhere else.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { AstroConfigError } from "../../src/index.js";
import { fast, useWaiterServer } from "./waiter-harness.js";
import { runs } from "../helpers/depth.js";

const { ctx, workflows } = useWaiterServer();

it("refuses an id or polls exactly the Deployment it names", async () => {
  const ids = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom("..", ".", "../x", "a/../b", "%2e%2e", "a?b=c", "a#b", "a\\b", " a", "ä", "\u0000"),
    fc.stringMatching(/^[a-z0-9]{1,25}$/),
  );
  await fc.assert(
    fc.asyncProperty(ids, async (id) => {
      ctx.server.received.length = 0;
      const w = workflows(["HEALTHY"], { throttle: false });
      const outcome = await w.waitUntilDeploymentReady({ deploymentId: id }, fast).then(
        () => "polled",
        (error: unknown) => error,
      );
      if (outcome === "polled") {
        // One request, to the Deployments collection plus one segment that decodes to the id.
        const urls = ctx.server.received.map((r) => r.url);
        expect(urls).toHaveLength(1);
        const prefix = "/organizations/org-1/deployments/";
        expect(urls[0]!.startsWith(prefix)).toBe(true);
        const segment = urls[0]!.slice(prefix.length);
        expect(segment).not.toMatch(/[/?#]/);
        expect(decodeURIComponent(segment)).toBe(id);
      } else {
        expect(outcome).toBeInstanceOf(AstroConfigError);
        expect(ctx.server.received).toHaveLength(0);
      }
    }),
    { numRuns: runs(150) },
  );
});
