/**
 * Type-level tests of the v1 client (checked by tsc): a create, an update, a delete, a paginated
 * list, the binary download, and the workflow methods, each as a method on the client itself and
 * by path. The runtime part only makes vitest count the file; the calls go to a local server that
 * answers 200 `{}`.
 */
import { beforeAll, describe, expectTypeOf, it } from "vitest";
import {
  createAstroClient,
  type AstroClient,
  type BinaryBody,
  type FieldError,
  type BadRequestError,
  type V1Components,
} from "../../src/index.js";
import { useRecordingServer, v1ClientFor } from "../helpers/client.js";

type Schemas = V1Components["schemas"];

const ctx = useRecordingServer();
let astro: AstroClient;
beforeAll(() => {
  astro = v1ClientFor(ctx.server, "t");
});

describe("v1 client types", () => {
  it("a create: body checked, data the created object", async () => {
    const { data } = await astro.createWorkspace({ body: { name: "data" } });
    expectTypeOf(data).toEqualTypeOf<Schemas["Workspace"]>();
    const byPath = await astro.POST("/organizations/{organizationId}/workspaces", { body: { name: "data" } });
    expectTypeOf(byPath.data).toEqualTypeOf<Schemas["Workspace"]>();
    const compileOnly = () => {
      // @ts-expect-error the required `name` is missing
      void astro.createWorkspace({ body: { description: "no name" } });
      // @ts-expect-error a body field the document does not declare
      void astro.createWorkspace({ body: { name: "data", colour: "blue" } });
    };
    expectTypeOf(compileOnly).toBeFunction();
  });

  it("an update: ids beside the body, the required fields of the update request", async () => {
    const { data } = await astro.updateWorkspace({
      workspaceId: "w",
      body: { name: "data", description: "d", cicdEnforcedDefault: true },
    });
    expectTypeOf(data).toEqualTypeOf<Schemas["Workspace"]>();
    const compileOnly = () => {
      // @ts-expect-error the workspace id is required
      void astro.updateWorkspace({ body: { name: "data", description: "d", cicdEnforcedDefault: true } });
      // @ts-expect-error cicdEnforcedDefault is required by UpdateWorkspaceRequest
      void astro.updateWorkspace({ workspaceId: "w", body: { name: "data", description: "d" } });
    };
    expectTypeOf(compileOnly).toBeFunction();
  });

  it("a delete: no data", async () => {
    const { data } = await astro.deleteWorkspace({ workspaceId: "w" });
    expectTypeOf(data).toEqualTypeOf<undefined>();
    const byPath = await astro.DELETE("/organizations/{organizationId}/workspaces/{workspaceId}", {
      params: { path: { workspaceId: "w" } },
    });
    expectTypeOf(byPath.data).toEqualTypeOf<undefined>();
  });

  it("a paginated list: paginate yields the items, only for paginated paths", () => {
    const deployments = astro.paginate("/organizations/{organizationId}/deployments", { pageSize: 10 });
    expectTypeOf<AsyncIterable<Schemas["Deployment"]>>().toExtend<AsyncIterable<unknown>>();
    expectTypeOf(deployments).toExtend<AsyncIterable<Schemas["Deployment"]>>();
    const compileOnly = () => {
      // @ts-expect-error GetSelfUser is not a paginated list
      void astro.paginate("/users/self");
    };
    expectTypeOf(compileOnly).toBeFunction();
  });

  it("the binary download: a byte stream, not parsed JSON", () => {
    const download = () => astro.getOrganizationAuditLogs({ startDate: "2026-01-01T00:00:00Z" });
    expectTypeOf(download).returns.resolves.toHaveProperty("data").toEqualTypeOf<BinaryBody>();
    expectTypeOf<BinaryBody>().toEqualTypeOf<ReadableStream<Uint8Array>>();
    const byPath = () => astro.GET("/organizations/{organizationId}/audit-logs");
    expectTypeOf(byPath).returns.resolves.toHaveProperty("data").toEqualTypeOf<BinaryBody>();
  });

  it("workflow methods on the client, typed from v1's operations", () => {
    expectTypeOf(astro.waitUntilDeploymentReady).returns.resolves.toEqualTypeOf<Schemas["Deployment"]>();
    expectTypeOf(astro.waitUntilClusterReady).returns.resolves.toEqualTypeOf<Schemas["Cluster"]>();
    expectTypeOf(astro.waitUntilDeployFinished).returns.resolves.toEqualTypeOf<Schemas["Deploy"]>();
    expectTypeOf(astro.deployDags).toBeFunction();
    expectTypeOf(astro.waitUntilDeleted).toBeFunction();
  });

  it("fieldErrors on BadRequestError", () => {
    expectTypeOf<BadRequestError["fieldErrors"]>().toEqualTypeOf<readonly FieldError[] | undefined>();
    expectTypeOf<FieldError>().toEqualTypeOf<{
      readonly field: string;
      readonly code: string;
      readonly message: string;
    }>();
  });

  it("apiVersion takes a 1.N minor or latest", () => {
    const compileOnly = () => {
      createAstroClient({ apiVersion: "1.2" });
      createAstroClient({ apiVersion: "latest" });
      // @ts-expect-error another major
      createAstroClient({ apiVersion: "2.0" });
      // @ts-expect-error v1beta1's option
      createAstroClient({ urls: { platform: "http://x" } });
    };
    expectTypeOf(compileOnly).toBeFunction();
  });
});
