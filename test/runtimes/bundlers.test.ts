/**
 * What an app's bundler does with the SDK: esbuild bundles the minimal script (a client and one
 * call) for Node and for browsers/edge workers, with no externals and no warnings, and the v1
 * bundle carries neither Bottleneck (Redis only) nor the v1beta1 manifests. Sizes: `npm run bench`.
 */
import { describe, expect, it } from "vitest";
import { v1Operations } from "../../generated/operations.js";
import { bundle, bundleSplit } from "./bundle.js";

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
      // Each manifest entry names its document (in the JSON text of the manifest): \`"api":"v1"\`
      // once per v1 operation, no other.
      expect(code.split('"api":"v1"').length - 1).toBe(v1Operations.length);
      expect(code).not.toMatch(/\bapi"?:"(platform|iam)"/);
    });
  },
);

describe("esbuild --splitting --format=esm of the minimal script (what a page or worker loads first)", () => {
  it("loads neither the workflows nor the Redis limiter before their first call: each is a chunk of its own", async () => {
    const { loaded, lazy, warnings } = await bundleSplit(MINIMAL_SCRIPT);
    expect(warnings.map((warning) => warning.text)).toEqual([]);
    const loadedText = Object.values(loaded).join("\n");
    const lazyText = Object.values(lazy).join("\n");
    // One message of each: `deployDags`, the waiters, the pack, the Redis connection.
    for (const marker of [
      "deployDags needs exactly one of directory",
      "waitUntilDeleted needs { get:",
      "symbolic links that point outside it",
      "throttle.redis: the client was closed",
    ]) {
      expect(lazyText, marker).toContain(marker);
      expect(loadedText, marker).not.toContain(marker);
    }
    expect(Object.keys(lazy).some((name) => /create-workflows/.test(name))).toBe(true);
    expect(Object.keys(lazy).some((name) => /redis/.test(name))).toBe(true);
  });
});

describe("esbuild --bundle --platform=browser of astro-api-client/testing's msw handlers", () => {
  it("succeeds with no externals and no warnings: startAstroFake takes node:http from the runtime, when it starts", async () => {
    const script = `
import { astroFakeHandlers } from "../../src/testing/index.js";
export const handlers = astroFakeHandlers;
`;
    const { code, warnings } = await bundle(script, { platform: "browser", format: "esm", minify: true });
    expect(warnings.map((warning) => warning.text)).toEqual([]);
    expect(code).not.toMatch(/from\s*"(node:)?(fs|path|crypto|events|http|net|child_process)(\/[a-z]+)?"/);
  });
});
