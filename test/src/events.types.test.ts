/**
 * Type-level tests of the workflow events (checked by tsc): a waiter's `onProgress` receives only
 * its own polls, with `status` typed as that resource's statuses from the v1 document; `deployDags`
 * has its own union; `onEvent` receives every event, told apart by `type`. The functions are
 * compiled, never called.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type {
  AstroClient,
  AstroEvent,
  DeployDagsStep,
  DeployStepEvent,
  DeployWorkflowEvent,
  UploadProgressEvent,
  V1Components,
  WaiterEvent,
  WaiterName,
  WorkflowEvent,
} from "../../src/index.js";
import type { PlatformClient } from "../../src/v1beta1/index.js";

type Schemas = V1Components["schemas"];
type DeploymentStatus = Schemas["Deployment"]["status"];
type ClusterStatus = NonNullable<Schemas["Cluster"]["status"]>;
type DeployStatus = Schemas["Deploy"]["status"];

describe("workflow event types", () => {
  it("a waiter's onProgress gets its own poll, status typed as the resource's statuses", () => {
    const compileOnly = async (astro: AstroClient) => {
      await astro.waitUntilDeploymentReady({ deploymentId: "d" }, { onProgress: (e) => e.attempt });
      await astro.waitUntilDeploymentReady(
        { deploymentId: "d" },
        {
          onProgress: (e) => {
            expectTypeOf(e).toEqualTypeOf<WaiterEvent<"deploymentReady">>();
            expectTypeOf(e.status).toEqualTypeOf<DeploymentStatus | undefined>();
            expectTypeOf(e.waiter).toEqualTypeOf<"deploymentReady">();
            expectTypeOf(e.type).toEqualTypeOf<"waiter">();
            // @ts-expect-error a waiter reports no deploy step
            void e.step;
          },
        },
      );
      await astro.waitUntilClusterReady(
        { clusterId: "c" },
        { onProgress: (e) => expectTypeOf(e.status).toEqualTypeOf<ClusterStatus | undefined>() },
      );
      await astro.waitUntilDeployFinished(
        { deploymentId: "d", deployId: "x" },
        { onProgress: (e) => expectTypeOf(e.status).toEqualTypeOf<DeployStatus | undefined>() },
      );
      await astro.waitUntilDeleted(
        { get: "getDeployment", deploymentId: "d" },
        { onProgress: (e) => expectTypeOf(e.status).toEqualTypeOf<string | undefined>() },
      );
      // A status of another resource is not one of a Deployment's.
      await astro.waitUntilDeploymentReady(
        { deploymentId: "d" },
        {
          onProgress: (e) => {
            // @ts-expect-error CREATED is a cluster's status, never a Deployment's
            if (e.status === "CREATED") return;
          },
        },
      );
    };
    expectTypeOf(compileOnly).toBeFunction();
  });

  it("handlers written for the whole union still fit every onProgress", () => {
    const compileOnly = async (
      astro: AstroClient,
      any: (e: WorkflowEvent) => void,
      poll: (e: WaiterEvent) => void,
    ) => {
      await astro.waitUntilDeploymentReady({ deploymentId: "d" }, { onProgress: any });
      await astro.waitUntilClusterReady({ clusterId: "c" }, { onProgress: poll });
      await astro.deployDags({ deploymentId: "d", directory: "dags" }, { onProgress: any });
      // @ts-expect-error a handler of waiter polls only cannot take deployDags' steps
      await astro.deployDags({ deploymentId: "d", directory: "dags" }, { onProgress: poll });
    };
    expectTypeOf(compileOnly).toBeFunction();
  });

  it("the v1beta1 client's waiters type their events the same way", () => {
    const compileOnly = async (platform: PlatformClient) => {
      await platform.waitUntilDeploymentReady(
        { deploymentId: "d" },
        { onProgress: (e) => expectTypeOf(e.status).toEqualTypeOf<DeploymentStatus | undefined>() },
      );
    };
    expectTypeOf(compileOnly).toBeFunction();
  });

  it("deployDags has its own union: steps, upload progress and the polls of its live wait", () => {
    expectTypeOf<DeployWorkflowEvent>().toEqualTypeOf<
      DeployStepEvent<DeployDagsStep> | UploadProgressEvent | WaiterEvent<"deployLive">
    >();
    const compileOnly = async (astro: AstroClient) => {
      await astro.deployDags(
        { deploymentId: "d", directory: "dags" },
        {
          onProgress: (e) => {
            expectTypeOf(e).toEqualTypeOf<DeployWorkflowEvent<DeployDagsStep>>();
            if (e.type === "deploy") expectTypeOf(e.step).toEqualTypeOf<DeployDagsStep>();
            if (e.type === "upload") expectTypeOf(e.bytesSent).toBeNumber();
            if (e.type === "waiter") expectTypeOf(e.waiter).toEqualTypeOf<"deployLive">();
          },
        },
      );
    };
    expectTypeOf(compileOnly).toBeFunction();
    // Another deploy workflow reuses the family with its own steps.
    expectTypeOf<DeployWorkflowEvent<"build" | "push">>()
      .extract<{ type: "deploy" }>()
      .toHaveProperty("step")
      .toEqualTypeOf<"build" | "push">();
  });

  it("onEvent gets the whole union, discriminated by type (and a waiter's poll by waiter)", () => {
    const onEvent = (e: AstroEvent) => {
      if (e.type === "waiter") {
        expectTypeOf(e).toEqualTypeOf<
          | WaiterEvent<"deploymentReady">
          | WaiterEvent<"clusterReady">
          | WaiterEvent<"deployFinished">
          | WaiterEvent<"deleted">
          | WaiterEvent<"deployLive">
          | WaiterEvent<"clusterIdle">
        >();
        expectTypeOf(e.waiter).toEqualTypeOf<WaiterName>();
        if (e.waiter === "clusterReady") expectTypeOf(e.status).toEqualTypeOf<ClusterStatus | undefined>();
      }
      if (e.type === "deploy") expectTypeOf(e).toEqualTypeOf<DeployStepEvent>();
      if (e.type === "response") expectTypeOf(e.status).toBeNumber();
    };
    expectTypeOf(onEvent).toBeFunction();
    expectTypeOf<Extract<AstroEvent, { type: "upload" }>>().toEqualTypeOf<UploadProgressEvent>();
    expectTypeOf<WorkflowEvent>().toMatchTypeOf<AstroEvent>();
    expect(true).toBe(true);
  });
});
