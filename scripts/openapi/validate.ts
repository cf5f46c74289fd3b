import { Validator } from "@seriousme/openapi-schema-validator";
import { InvalidSpecError } from "../shared/errors.js";
import type { OpenApiDocument } from "./document.js";

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

let validator: Validator | undefined;

/**
 * Validates a document against the official OpenAPI JSON Schema (3.0 or 3.1), reporting every
 * problem with its JSON pointer. The raw ajv output repeats each problem once per `oneOf`
 * alternative (`must have required property '$ref'`, `must match exactly one schema in oneOf`);
 * those echoes are dropped and enum alternatives at one pointer are merged, so what remains is
 * one line per real problem.
 */
export async function validateSpec(doc: OpenApiDocument, file: string): Promise<void> {
  validator ??= new Validator({ allErrors: true });
  // The validator resolves $refs in place; it gets a copy so the caller's document stays as parsed.
  const result = await validator.validate(structuredClone(doc));
  if (result.valid) return;
  const errors = (
    Array.isArray(result.errors)
      ? result.errors
      : [{ instancePath: "", keyword: "", params: {}, message: String(result.errors) }]
  ) as AjvError[];
  throw new InvalidSpecError(file, summarise(errors));
}

function summarise(errors: AjvError[]): { pointer: string; problem: string }[] {
  const specific = errors.filter(
    (e) => e.keyword !== "oneOf" && !(e.keyword === "required" && e.params.missingProperty === "$ref"),
  );
  const kept = specific.length > 0 ? specific : errors;
  const byPointer = new Map<string, Set<string>>();
  const enums = new Map<string, Set<string>>();
  for (const error of kept) {
    const pointer = error.instancePath || "/";
    if (error.keyword === "enum") {
      const allowed = enums.get(pointer) ?? new Set<string>();
      for (const value of (error.params.allowedValues as unknown[] | undefined) ?? [])
        allowed.add(JSON.stringify(value));
      enums.set(pointer, allowed);
      continue;
    }
    const problems = byPointer.get(pointer) ?? new Set<string>();
    problems.add(error.message ?? error.keyword);
    byPointer.set(pointer, problems);
  }
  for (const [pointer, allowed] of enums) {
    const problems = byPointer.get(pointer) ?? new Set<string>();
    problems.add(`must be one of ${[...allowed].join(", ")}`);
    byPointer.set(pointer, problems);
  }
  return [...byPointer].flatMap(([pointer, problems]) =>
    [...problems].map((problem) => ({ pointer, problem })),
  );
}
