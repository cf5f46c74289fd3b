/**
 * Type-level tests of the ergonomic surface (checked by tsc in `npm test`): operation methods of
 * every shape, paginate limited to paginated operations, and the optional organizationId.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type { IamComponents, Paginator, PlatformComponents } from "../../src/v1beta1/index.js";
import { clientFor, useRecordingServer } from "../helpers/client.js";

const ctx = useRecordingServer();
type Deployment = PlatformComponents["schemas"]["Deployment"];

describe("operation method types", () => {
  it("flattens path and query params, body under `body`", async () => {
    const astro = clientFor(ctx.server, { organizationId: "org" });
    // No params at all.
    const orgs = await astro.platform.listOrganizations();
    expectTypeOf(orgs.data).toEqualTypeOf<PlatformComponents["schemas"]["OrganizationsPaginated"]>();
    // Path only (organizationId from the default).
    await astro.platform.getDeployment({ deploymentId: "d" });
    // Query arrays.
    const list = await astro.platform.listDeployments({ workspaceIds: ["w1", "w2"], limit: 50 });
    expectTypeOf(list.data.deployments).toEqualTypeOf<Deployment[]>();
    // Body.
    const team = await astro.iam.createTeam({ body: { name: "platform" } });
    expectTypeOf(team.data).toEqualTypeOf<IamComponents["schemas"]["Team"]>();
    // 204.
    const removed = await astro.iam.deleteTeam({ teamId: "t" });
    expectTypeOf(removed.data).toEqualTypeOf<undefined>();
    // Explicit organizationId still accepted; per-call options in the second argument.
    await astro.platform.getDeployment({ organizationId: "other", deploymentId: "d" }, { maxRetries: 0 });

    // Compile-time checks only: these calls are never sent.
    const compileOnly = async () => {
      // @ts-expect-error deploymentId is required
      await astro.platform.getDeployment({});
      // @ts-expect-error createTeam needs a body
      await astro.iam.createTeam({});
      // @ts-expect-error an undeclared parameter
      await astro.platform.listDeployments({ workspaceId: "w" });
      // @ts-expect-error query param of the wrong type
      await astro.platform.listDeployments({ limit: "50" });
      // @ts-expect-error no such operation
      await astro.platform.listPipelines();
    };
    expectTypeOf(compileOnly).toBeFunction();
  });

  it("types paginate to paginated operations and their items", () => {
    const astro = clientFor(ctx.server);
    const deployments = astro.platform.paginate("/organizations/{organizationId}/deployments", {
      params: { query: { workspaceIds: ["w"] } },
      pageSize: 100,
    });
    expectTypeOf(deployments).toEqualTypeOf<Paginator<Deployment>>();
    expectTypeOf(astro.iam.paginate("/organizations/{organizationId}/roles")).toEqualTypeOf<
      Paginator<IamComponents["schemas"]["Role"]>
    >();
    // Compile-time checks only: paginate throws at once for these.
    const compileOnly = () => {
      // @ts-expect-error GetDeployment is not paginated
      astro.platform.paginate("/organizations/{organizationId}/deployments/{deploymentId}");
      // @ts-expect-error ListRoleTemplates takes no offset/limit
      astro.iam.paginate("/organizations/{organizationId}/role-templates");
      // @ts-expect-error teamId is still required
      astro.iam.paginate("/organizations/{organizationId}/teams/{teamId}/members", {});
    };
    expectTypeOf(compileOnly).toBeFunction();
  });

  it("makes organizationId optional in path-based calls, and nothing else", async () => {
    const astro = clientFor(ctx.server, { organizationId: "org" });
    await astro.platform.GET("/organizations/{organizationId}/deployments");
    await astro.platform.GET("/organizations/{organizationId}/deployments/{deploymentId}", {
      params: { path: { deploymentId: "d" } },
    });
    // At run time too: a missing path parameter is rejected before anything is sent.
    await expect(
      astro.platform.GET("/organizations/{organizationId}/deployments/{deploymentId}", {
        // @ts-expect-error deploymentId is still required
        params: { path: {} },
      }),
    ).rejects.toThrow(/path parameter deploymentId is missing/);
  });
});
