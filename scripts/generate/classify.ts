import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import {
  DOCUMENT_NAMES,
  OPERATION_KINDS,
  type DocumentName,
  type OperationKind,
} from "../../src/operations/manifest.js";
import { isDocumentName } from "../openapi/pins.js";
import { PipelineError } from "../shared/errors.js";

export interface Classification {
  kind: OperationKind;
  idempotent: boolean;
}

export interface Override extends Classification {
  why: string;
}

/** Overrides by API and operationId. */
export type Overrides = Partial<Record<DocumentName, Record<string, Override>>>;

export const CLASSIFICATION_FILE = join("openapi", "classification.yaml");

/** Reads and checks `openapi/classification.yaml`; a malformed entry is named, not ignored. */
export async function readOverrides(root: string): Promise<Overrides> {
  const file = join(root, CLASSIFICATION_FILE);
  const raw: unknown = parse(await readFile(file, "utf8")) ?? {};
  if (typeof raw !== "object" || Array.isArray(raw))
    throw new PipelineError(`${file}: expected a mapping of API names`);
  const overrides: Overrides = {};
  for (const [api, entries] of Object.entries(raw as Record<string, unknown>)) {
    if (!isDocumentName(api))
      throw new PipelineError(`${file}: unknown API "${api}" (expected ${DOCUMENT_NAMES.join(" or ")})`);
    const checked: Record<string, Override> = {};
    for (const [operationId, entry] of Object.entries((entries ?? {}) as Record<string, Partial<Override>>)) {
      const where = `${file}: ${api}.${operationId}`;
      if (!OPERATION_KINDS.includes(entry.kind as OperationKind)) {
        throw new PipelineError(`${where}: kind must be one of ${OPERATION_KINDS.join(", ")}`);
      }
      if (typeof entry.idempotent !== "boolean")
        throw new PipelineError(`${where}: idempotent must be true or false`);
      if (typeof entry.why !== "string" || entry.why.trim() === "")
        throw new PipelineError(`${where}: why must say why`);
      checked[operationId] = {
        kind: entry.kind as OperationKind,
        idempotent: entry.idempotent,
        why: entry.why,
      };
    }
    overrides[api] = checked;
  }
  return overrides;
}

/** The published rules, from method, path shape and operationId; `undefined` when none applies. */
export function classifyByRule(
  method: string,
  path: string,
  operationId: string,
): Classification | undefined {
  const endsWithParam = /\}$/.test(path);
  switch (method) {
    case "get":
      return { kind: "read", idempotent: true };
    case "delete":
      return { kind: "delete", idempotent: true };
    case "put":
      return { kind: "update", idempotent: true };
    case "post":
      if (/^Create[A-Z]/.test(operationId) && !endsWithParam) return { kind: "create", idempotent: false };
      if (/^Update[A-Z]/.test(operationId)) return { kind: "update", idempotent: true };
      return undefined;
    default:
      return undefined;
  }
}

/**
 * An override wins over the rules; an operation neither decides is an error naming it, so a new
 * operation in a future spec cannot be retried (or not) by accident.
 */
export function classify(
  api: DocumentName,
  method: string,
  path: string,
  operationId: string,
  overrides: Overrides,
): Classification {
  const override = overrides[api]?.[operationId];
  if (override) return { kind: override.kind, idempotent: override.idempotent };
  const ruled = classifyByRule(method, path, operationId);
  if (ruled) return ruled;
  throw new PipelineError(
    `${api}: ${method.toUpperCase()} ${path} (${operationId}) is not classified: no rule applies and ` +
      `${CLASSIFICATION_FILE} has no entry for it. Add one under "${api}:" with kind, idempotent and why.`,
  );
}
