/**
 * Type-level tests: `npm test` type-checks this file with tsc, so each `@ts-expect-error` line
 * must really be an error and each `expectTypeOf` must hold. The runtime part only makes vitest
 * count the file; the calls go to a local server that answers 200 `{}`.
 */
import { beforeAll, describe, expectTypeOf, it } from "vitest";
import type { AstroClient, PlatformComponents } from "../../src/v1beta1/index.js";
import { clientFor, useRecordingServer } from "../helpers/client.js";

const ctx = useRecordingServer();
let astro: AstroClient;
beforeAll(() => {
  astro = clientFor(ctx.server, { token: "t", throttle: false });
});

const organizationId = "org";

describe("typed calls", () => {
  it("types data from the success response, never undefined", async () => {
    const { data, response } = await astro.platform.GET("/organizations/{organizationId}/deployments", {
      params: { path: { organizationId }, query: { limit: 50, workspaceIds: ["w"] } },
    });
    expectTypeOf(data).toEqualTypeOf<PlatformComponents["schemas"]["DeploymentsPaginated"]>();
    expectTypeOf(data.deployments).toBeArray();
    expectTypeOf(response).toEqualTypeOf<Response>();
  });

  it("types a 204 as undefined data", async () => {
    const { data } = await astro.platform.DELETE("/organizations/{organizationId}/workspaces/{workspaceId}", {
      params: { path: { organizationId, workspaceId: "w" } },
    });
    expectTypeOf(data).toEqualTypeOf<undefined>();
  });

  it("checks bodies", async () => {
    const { data } = await astro.iam.POST("/organizations/{organizationId}/teams", {
      params: { path: { organizationId } },
      body: { name: "platform" },
    });
    expectTypeOf(data.id).toBeString();
    await astro.iam.POST("/organizations/{organizationId}/teams", {
      params: { path: { organizationId } },
      // @ts-expect-error a body field the spec does not declare
      body: { name: "platform", colour: "blue" },
    });
    await astro.iam.POST("/organizations/{organizationId}/teams", {
      params: { path: { organizationId } },
      // @ts-expect-error the required `name` is missing
      body: { description: "no name" },
    });
  });

  it("rejects wrong paths and missing params", async () => {
    // Compile-time checks only: these calls are never sent.
    const compileOnly = async () => {
      // @ts-expect-error a path the API does not have
      await astro.platform.GET("/organizations/{organizationId}/pipelines", {
        params: { path: { organizationId } },
      });
      // @ts-expect-error GET exists, but not POST, on this path
      await astro.platform.POST("/organizations/{organizationId}/cluster-options", {
        params: { path: { organizationId } },
      });
      await astro.platform.GET("/organizations/{organizationId}/deployments/{deploymentId}", {
        // @ts-expect-error the required path param deploymentId is missing
        params: { path: { organizationId } },
      });
      // @ts-expect-error init is required when the path has params
      await astro.platform.GET("/organizations/{organizationId}/deployments/{deploymentId}");
      await astro.platform.GET("/organizations/{organizationId}/deployments", {
        // @ts-expect-error a query param of the wrong type
        params: { path: { organizationId }, query: { limit: "50" } },
      });
    };
    expectTypeOf(compileOnly).toBeFunction();
    // Per-call options type-check alongside params.
    await astro.platform.GET("/organizations", { maxRetries: 0, timeoutMs: 1000 });
  });
});
