/**
 * Type-level tests (checked by tsc): the workflows attach to today's v1beta1 platform client
 * structurally, and their results are typed from that client's operations.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { PlatformClient, PlatformComponents } from "../../src/v1beta1/index.js";
import { createWorkflows, type WorkflowClient, type Workflows } from "../../src/workflows/index.js";

type Schemas = PlatformComponents["schemas"];

describe("workflow types", () => {
  it("accepts the platform client and types each result from its operations", () => {
    expectTypeOf<PlatformClient>().toExtend<WorkflowClient>();
    type W = Workflows<PlatformClient>;
    expectTypeOf<ReturnType<W["waitUntilDeploymentReady"]>>().toEqualTypeOf<Promise<Schemas["Deployment"]>>();
    expectTypeOf<ReturnType<W["waitUntilClusterReady"]>>().toEqualTypeOf<Promise<Schemas["Cluster"]>>();
    expectTypeOf<ReturnType<W["waitUntilDeployFinished"]>>().toEqualTypeOf<Promise<Schemas["Deploy"]>>();
    expectTypeOf<Awaited<ReturnType<W["deployDags"]>>["deployment"]>().toEqualTypeOf<
      Schemas["Deployment"] | undefined
    >();
  });

  it("types waitUntilDeleted's target from the get… operation it names", () => {
    const w = {} as Workflows<PlatformClient>;
    const typed = () => {
      void w.waitUntilDeleted({ get: "getWorkspace", workspaceId: "w" });
      void w.waitUntilDeleted({ get: "getDeployment", organizationId: "o", deploymentId: "d" });
      // @ts-expect-error the ids of another resource
      void w.waitUntilDeleted({ get: "getWorkspace", deploymentId: "d" });
      // @ts-expect-error not a read
      void w.waitUntilDeleted({ get: "deleteWorkspace", workspaceId: "w" });
      // @ts-expect-error a waiter needs the resource's id
      void w.waitUntilDeploymentReady({});
    };
    expectTypeOf(typed).toBeFunction();
    expectTypeOf(createWorkflows<PlatformClient>).returns.toEqualTypeOf<Workflows<PlatformClient>>();
  });
});
