import { expect } from "vitest";
import type { OperationInfo } from "../../src/operations/manifest.js";
import { methodNameOf } from "../../src/operations/manifest.js";
import type { RecordingServer, Received } from "./recording-server.js";

type AnyMethod = (args?: Record<string, unknown>) => Promise<unknown>;

/**
 * Calls every operation as the method named after its operationId, with placeholder ids
 * (`{name}-1`, organization `org`) and its required query and body, and checks the method and
 * path the server received; `basePath` is what the client puts before the template (`/v1`).
 * Returns what the server received per operation, for checks of the caller's own.
 */
export async function callEveryOperation(
  client: object,
  operations: readonly OperationInfo[],
  server: RecordingServer,
  basePath = "",
): Promise<Map<OperationInfo, Received>> {
  const methods = client as Record<string, AnyMethod | undefined>;
  const sent = new Map<OperationInfo, Received>();
  for (const operation of operations) {
    const method = methods[methodNameOf(operation)];
    expect(method, operation.operationId).toBeTypeOf("function");
    const args: Record<string, unknown> = {};
    for (const name of operation.pathParams) if (name !== "organizationId") args[name] = `${name}-1`;
    for (const query of operation.queryParams)
      if (query.required) args[query.name] = query.array ? ["q"] : "q";
    if (operation.body === "required") args.body = {};
    server.received.length = 0;
    await method!(args);
    const received = server.received[0]!;
    const expectedPath = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      name === "organizationId" ? "org" : `${name}-1`,
    );
    expect(received.method, operation.operationId).toBe(operation.method.toUpperCase());
    expect(new URL(received.url, "http://x").pathname, operation.operationId).toBe(
      `${basePath}${expectedPath}`,
    );
    sent.set(operation, received);
  }
  return sent;
}
