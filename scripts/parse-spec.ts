import { parseDocument } from "yaml";
import { InvalidSpecError } from "./errors.js";

/** An OpenAPI document as plain data. Only the parts the pipeline reads are typed. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  paths: Record<string, PathItem>;
  components?: { schemas?: Record<string, SchemaObject>; [key: string]: unknown };
  security?: unknown[];
  [key: string]: unknown;
}

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";
export const HTTP_METHODS: readonly HttpMethod[] = [
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
  "trace",
];

export type PathItem = Partial<Record<HttpMethod, OperationObject>> & { parameters?: ParameterOrRef[] };

export interface Reference {
  $ref: string;
}

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  description?: string;
  schema?: SchemaObject | Reference;
}
export type ParameterOrRef = ParameterObject | Reference;

export interface SchemaObject {
  type?: string;
  format?: string;
  properties?: Record<string, SchemaObject | Reference>;
  items?: SchemaObject | Reference;
  required?: string[];
  enum?: unknown[];
  [key: string]: unknown;
}

export interface MediaType {
  schema?: SchemaObject | Reference;
  example?: unknown;
  examples?: Record<string, unknown>;
}

export interface ResponseObject {
  description: string;
  content?: Record<string, MediaType>;
  headers?: Record<string, unknown>;
}

export interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  deprecated?: boolean;
  tags?: string[];
  parameters?: ParameterOrRef[];
  requestBody?: { required?: boolean; description?: string; content?: Record<string, MediaType> } | Reference;
  responses: Record<string, ResponseObject | Reference>;
  [key: string]: unknown;
}

/**
 * Parses a YAML (or JSON, a subset of YAML) document. Syntax errors are reported with line and
 * column; a document that parses to something other than an object is rejected here too, so the
 * validator downstream always receives an object.
 */
export function parseSpec(text: string, file: string): OpenApiDocument {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InvalidSpecError(
      file,
      doc.errors.map((error) => ({
        pointer: "",
        problem: `YAML ${error.code} at line ${error.linePos?.[0].line ?? "?"}, column ${error.linePos?.[0].col ?? "?"}: ${error.message.split("\n")[0]}`,
      })),
    );
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidSpecError(file, [
      { pointer: "", problem: "the document is not an object (is the file empty?)" },
    ]);
  }
  return value as OpenApiDocument;
}
