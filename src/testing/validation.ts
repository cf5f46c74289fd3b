/**
 * Checks requests against the model's schemas with ajv, which is an optional peer dependency:
 * loaded once when a fake starts (so a missing ajv fails there, with a message saying what to
 * do), and each operation's validators compiled on its first request (compiling all 75 up front
 * would cost most of the start-time budget for operations a test never calls).
 */
import { AstroConfigError, type FieldError } from "../errors/error-classes.js";
import type { FakeModel, FakeOperation, FakeSchema } from "./model.js";

/** The v1 `fieldErrors` entry the fake answers with: the SDK's own type, declared once. */
export type { FieldError };

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}
type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
interface AjvLike {
  addSchema(schema: object, key: string): unknown;
  compile(schema: object): Validate;
}
type AjvClass = new (options: Record<string, unknown>) => AjvLike;

const DOCUMENT_KEY = "fake-model.json";

/** `import()` of a CommonJS package gives its exports under `default`, sometimes twice. */
function unwrap<T>(mod: unknown, named?: string): T {
  let value = mod as Record<string, unknown>;
  if (named && typeof value[named] === "function") return value[named] as T;
  while (typeof value !== "function" && value && "default" in value)
    value = value.default as Record<string, unknown>;
  return value as T;
}

async function loadAjv(): Promise<{ Ajv: AjvClass; addFormats: ((ajv: AjvLike) => unknown) | undefined }> {
  let Ajv: AjvClass;
  try {
    Ajv = unwrap<AjvClass>(await import("ajv"), "Ajv");
  } catch (cause) {
    throw new AstroConfigError(
      "astro-api-client/testing validates requests with ajv: add it to your dev dependencies " +
        "(npm install -D ajv ajv-formats), or start the fake with { validate: false }",
      { cause },
    );
  }
  // Formats (date-time) are checked when ajv-formats is there; without it they are not.
  const addFormats = await import("ajv-formats").then(
    (m) => unwrap<(ajv: AjvLike) => unknown>(m),
    () => undefined,
  );
  return { Ajv, addFormats };
}

/** `/workerQueues/0/name` → `workerQueues[0].name`, the way APIs name fields. */
function fieldName(pointer: string, missing?: unknown): string {
  const parts = pointer.split("/").slice(1);
  if (typeof missing === "string") parts.push(missing);
  return parts.reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), "");
}

/**
 * What an entry says of its field, worded to follow `field: ` once (`name: required`, not ajv's
 * `must have required property 'name'`, which repeats the field the entry already names).
 */
function describeProblem(e: AjvError): { field?: string; message: string } {
  switch (e.keyword) {
    case "required":
      return { message: "required" };
    case "dependentRequired":
    case "dependencies":
      return { message: `required when ${String(e.params.property)} is given` };
    case "additionalProperties":
      return { field: String(e.params.additionalProperty), message: "not allowed (unknown field)" };
    case "enum":
      return {
        message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => String(v)).join(", ")}`,
      };
    default:
      return { message: e.message ?? "is invalid" };
  }
}

/** ajv's errors as `fieldErrors`; `whole` names the value itself (`body`) when the error is about all of it. */
function toFieldErrors(errors: readonly AjvError[] | null | undefined, whole: string): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors ?? []) {
    // An `if` error only says which `then` failed; that `then`'s own errors follow it.
    if (e.keyword === "if") continue;
    const { field: child, message } = describeProblem(e);
    const field = fieldName(e.instancePath, child ?? e.params.missingProperty) || whole;
    const entry = { code: e.keyword, field, message };
    if (!out.some((o) => o.field === entry.field && o.code === entry.code)) out.push(entry);
  }
  return out;
}

export interface RequestValidator {
  /** Problems of a request's query (as `readQuery` converted it) and body; empty when they conform. */
  check(operation: FakeOperation, query: Record<string, unknown>, body: unknown): FieldError[];
}

export async function createValidator(model: FakeModel): Promise<RequestValidator> {
  const { Ajv, addFormats } = await loadAjv();
  // OpenAPI 3.0 schemas carry keywords JSON Schema does not know (nullable is known to ajv).
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats?.(ajv);
  ajv.addSchema({ components: { schemas: model.schemas } }, DOCUMENT_KEY);
  const compile = (schema: FakeSchema): Validate =>
    ajv.compile(
      JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', `"$ref":"${DOCUMENT_KEY}#/`)) as object,
    );
  const compiled = new Map<string, { query: Validate; body: Validate | undefined }>();

  return {
    check(operation, query, body) {
      let validators = compiled.get(operation.operationId);
      if (!validators) {
        const params = operation.params.filter((p) => p.in === "query");
        const querySchema = {
          type: "object",
          properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
          required: params.filter((p) => p.required).map((p) => p.name),
        };
        validators = {
          query: compile(querySchema),
          body: operation.requestBody ? compile(operation.requestBody.schema) : undefined,
        };
        compiled.set(operation.operationId, validators);
      }
      const problems: FieldError[] = [];
      if (!validators.query(query)) problems.push(...toFieldErrors(validators.query.errors, "query"));
      if (validators.body && operation.requestBody) {
        if (body === undefined) {
          if (operation.requestBody.required)
            problems.push({ code: "required", field: "body", message: "a JSON body is required" });
        } else if (!validators.body(body)) problems.push(...toFieldErrors(validators.body.errors, "body"));
      }
      return problems;
    },
  };
}
