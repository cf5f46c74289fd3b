/**
 * The clients' workflow methods are stubs that load the workflows at their first call
 * (src/workflows/lazy.ts): they must be every method `createWorkflows` makes, and behave as it.
 */
import { describe, expect, it } from "vitest";
import { createAstroClient } from "../../src/index.js";
import { AstroConfigError } from "../../src/errors/error-classes.js";
import { createWorkflows } from "../../src/workflows/index.js";
import { WORKFLOW_METHODS } from "../../src/workflows/lazy.js";

describe("workflow methods loaded at the first call", () => {
  it("the client has every method createWorkflows makes, and no other", () => {
    const astro = createAstroClient({ token: "t", organizationId: "o", throttle: false });
    const eager = Object.keys(createWorkflows(astro)).sort();
    expect([...WORKFLOW_METHODS].sort()).toEqual(eager);
    for (const name of eager) expect(astro[name as keyof typeof astro], name).toBeTypeOf("function");
  });

  it("a stub rejects as the workflow does, before any request", async () => {
    const astro = createAstroClient({ token: "t", organizationId: "o", throttle: false });
    const eager = createWorkflows(astro);
    const bad = { deploymentId: "../other" };
    const expected = await eager.waitUntilDeploymentReady(bad).catch((error: unknown) => error);
    expect(expected).toBeInstanceOf(AstroConfigError);
    await expect(astro.waitUntilDeploymentReady(bad)).rejects.toThrow((expected as Error).message);
    await expect(astro.deployDags({ deploymentId: "d" })).rejects.toBeInstanceOf(AstroConfigError);
  });
});
