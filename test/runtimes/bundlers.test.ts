/**
 * What an app's bundler does with the SDK: esbuild bundles the minimal script (a client and one
 * call) for Node and for browsers/edge workers, with no externals and no warnings, and the v1
 * bundle carries neither Bottleneck (Redis only) nor the v1beta1 manifests. Sizes: `npm run bench`.
 */
import { describe, expect, it } from "vitest";
import { v1Operations } from "../../generated/operations.js";
import { bundle } from "./bundle.js";

/** The minimal consumer, as the README's first example. */
export const MINIMAL_SCRIPT = `
import { createAstroClient } from "../../src/index.js";
const astro = createAstroClient({ token: "t", organizationId: "o" });
export const run = () => astro.getDeployment({ deploymentId: "d" });
`;

describe.each(["node", "browser"] as const)(
  "esbuild --bundle --platform=%s of the minimal script",
  (platform) => {
    it("succeeds with no externals and no warnings, without Bottleneck, Node built-ins or v1beta1 operations", async () => {
      const { code, warnings } = await bundle(MINIMAL_SCRIPT, { platform, format: "esm", minify: true });
      expect(warnings.map((warning) => warning.text)).toEqual([]);
      expect(code).not.toMatch(/from\s*"(node:)?(fs|path|crypto|events|http|net|child_process)(\/[a-z]+)?"/);
      expect(code).not.toContain("This limiter has been stopped");
      // Each manifest entry names its document: \`api:"v1"\` once per v1 operation, no other.
      expect(code.split('api:"v1"').length - 1).toBe(v1Operations.length);
      expect(code).not.toContain('api:"platform"');
      expect(code).not.toContain('api:"iam"');
    });
  },
);
