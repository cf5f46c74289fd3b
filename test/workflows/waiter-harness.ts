import type { AstroClientOptions } from "../../src/v1beta1/index.js";
import { createWorkflows, type WorkflowEvent } from "../../src/workflows/index.js";
import { clientFor, useRecordingServer } from "../helpers/client.js";
import type { RecordingServer } from "../helpers/recording-server.js";
import { sequence, type Step } from "./sequence.js";

/**
 * The client the workflows run on in these tests: today's v1beta1 `astro.platform` pointed at a
 * recording server. Switching the tests to the v1 client is a change of this one function.
 */
export function workflowClient(server: RecordingServer, options: AstroClientOptions = {}) {
  return clientFor(server, { organizationId: "org-1", ...options }).platform;
}

/** Pauses short enough for tests. */
export const fast = { minDelayMs: 10, maxDelayMs: 20 };

/**
 * Registers a recording server for the test file, and returns a factory of workflows whose
 * resource walks through `steps` (one per GET), recording their events.
 */
export function useWaiterServer() {
  const ctx = useRecordingServer();
  const workflows = (steps: readonly Step[], options: AstroClientOptions = {}) => {
    const seq = sequence(steps);
    ctx.server.handle(seq.handler);
    const events: WorkflowEvent[] = [];
    return {
      ...createWorkflows(workflowClient(ctx.server, options), { emit: (e) => events.push(e) }),
      events,
      seq,
    };
  };
  return { ctx, workflows };
}
