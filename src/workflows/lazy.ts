/**
 * The workflow methods of a client, loaded at their first call: each method here is a stub that
 * imports ./create-workflows.ts (waiters, `deployDags`, packing, upload…) once, binds the
 * workflows to the client, and calls the real method. Every workflow method returns a promise,
 * so the stub behaves as the method does; the import costs one load per process.
 */
import { lazyModule } from "../internal/lazy-module.js";
import type { WorkflowClient } from "./client.js";
import type { WorkflowContext, Workflows } from "./create-workflows.js";

/** Every method `createWorkflows` returns, by name (test/workflows/types.test.ts checks it is all of them). */
export const WORKFLOW_METHODS = [
  "waitUntilDeploymentReady",
  "waitUntilClusterReady",
  "waitUntilDeployFinished",
  "waitUntilDeleted",
  "deployDags",
  "deployBundle",
  "updateClusterWhenIdle",
  "deleteClusterWhenIdle",
] as const satisfies readonly (keyof Workflows<WorkflowClient>)[];

const loadWorkflows = lazyModule(() => import("./create-workflows.js"));

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * The same methods as `createWorkflows(client, context)`, whose implementation is imported at
 * the first call of any of them (then bound to `client` once).
 */
export function createLazyWorkflows<C extends WorkflowClient>(
  client: C,
  context: WorkflowContext = {},
): Workflows<C> {
  let bound: Record<string, AnyMethod> | undefined;
  const methods: Record<string, AnyMethod> = {};
  for (const name of WORKFLOW_METHODS) {
    methods[name] = async (...args) => {
      bound ??= (await loadWorkflows()).createWorkflows(client, context) as unknown as Record<
        string,
        AnyMethod
      >;
      return bound[name]!(...args);
    };
  }
  return methods as unknown as Workflows<C>;
}
