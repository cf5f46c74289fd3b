import { describe, expect, it } from "vitest";
import { operationsByDocument } from "../../generated/operations.js";
import { loadDocuments } from "../../scripts/contract/contract-documents.js";
import { contractOperations } from "../../scripts/contract/contract-operations.js";
import { DOCUMENT_NAMES } from "../../src/operations/manifest.js";

describe("the contract model of every pinned document", () => {
  const documents = loadDocuments({}, DOCUMENT_NAMES);

  it("enumerates the operations of each document, as the manifest records them", async () => {
    const operations = contractOperations(await documents);
    const counts = Object.fromEntries(
      DOCUMENT_NAMES.map((name) => [name, operations.filter((op) => op.api === name).length]),
    );
    expect(counts).toEqual({ v1: 75, platform: 28, iam: 31 });
    for (const name of DOCUMENT_NAMES) {
      const fromModel = operations
        .filter((op) => op.api === name)
        .map((op) => `${op.method} ${op.path} ${op.operationId}`)
        .sort();
      const fromManifest = operationsByDocument[name].map(
        (op) => `${op.method} ${op.path} ${op.operationId}`,
      );
      expect(fromModel, name).toEqual([...fromManifest].sort());
    }
  });

  it("builds a request for every v1 operation that satisfies its own schemas, and checks that can fail", async () => {
    const v1 = contractOperations(await documents).filter((op) => op.api === "v1");
    for (const op of v1) {
      for (const name of op.path.match(/\{([^}]+)\}/g) ?? [])
        expect(op.request.path, op.operationId).toHaveProperty(name.slice(1, -1));
      expect(
        op.notes.filter((n) => n.includes("no example or sample")),
        op.operationId,
      ).toEqual([]);
      expect(
        op.validateResponse(op.successStatuses[0]!, "not the declared body"),
        op.operationId,
      ).not.toEqual([]);
    }
    const bulkCreate = v1.find((op) => op.operationId === "BulkCreateAllowedIpAddressRanges")!;
    expect(bulkCreate.invalid?.what).toBe("a body without required property allowedIpAddressRanges");
  });
});

describe("a binary response", () => {
  it("conforms as bytes, never as a string or JSON", async () => {
    const [auditLogs] = contractOperations(await loadDocuments({}, ["v1"])).filter(
      (op) => op.operationId === "GetOrganizationAuditLogs",
    );
    expect(auditLogs!.validateResponse(200, new Uint8Array([1, 2, 3]))).toEqual([]);
    expect(auditLogs!.validateResponse(200, new Blob(["log"]))).toEqual([]);
    expect(auditLogs!.validateResponse(200, "log")).toEqual([
      "status 200 declares application/octet-stream, got no bytes",
    ]);
    expect(auditLogs!.validateResponse(200, [1, 2, 3])).not.toEqual([]);
  });
});
