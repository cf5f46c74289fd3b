import { PipelineError } from "../shared/errors.js";
import type { OpenApiDocument, Reference } from "./document.js";
import { nodeAt } from "./json-pointer.js";

export function isRef(value: unknown): value is Reference {
  return typeof value === "object" && value !== null && "$ref" in value;
}

/** Follows local `#/…` references; the documents have no external ones. */
export function deref<T>(doc: OpenApiDocument, value: T | Reference, seen = new Set<string>()): T {
  if (!isRef(value)) return value;
  if (seen.has(value.$ref)) throw new PipelineError(`circular $ref ${value.$ref}`);
  seen.add(value.$ref);
  if (!value.$ref.startsWith("#/")) throw new PipelineError(`unsupported external $ref ${value.$ref}`);
  const node = nodeAt(doc, value.$ref);
  if (node === undefined) throw new PipelineError(`$ref ${value.$ref} points at nothing`);
  return deref(doc, node as T | Reference, seen);
}
