import type { HttpMethod } from "openapi-typescript-helpers";

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
