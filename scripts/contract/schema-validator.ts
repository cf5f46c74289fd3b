import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { DocumentName } from "../../src/operations/manifest.js";
import type { SchemaObject } from "../openapi/document.js";
import type { ContractDocument } from "./contract-documents.js";

// ajv-formats is CommonJS with a default export; under NodeNext its namespace is what we import.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Validates values against schemas of the documents, whose `#/…` references stay resolvable. */
export class SchemaValidator {
  // OpenAPI 3.0 schemas carry keywords JSON Schema does not know (example, x-…): not errors.
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateSchema: false }));
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor(documents: readonly ContractDocument<DocumentName>[]) {
    for (const { api, doc } of documents) this.ajv.addSchema(doc, `${api}.json`);
  }

  /** Problems of `value` against `schema` (a schema of `api`'s document); empty when valid. */
  problems(api: DocumentName, schema: SchemaObject, value: unknown): string[] {
    let validate = this.compiled.get(schema);
    if (!validate) {
      // A schema taken out of its document refers to it by `#/…`: point those at the document.
      const json = JSON.stringify(schema).replaceAll('"$ref":"#/', `"$ref":"${api}.json#/`);
      validate = this.ajv.compile(JSON.parse(json) as object);
      this.compiled.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "(body)"} ${e.message ?? "is invalid"}`);
  }

  valid(api: DocumentName, schema: SchemaObject, value: unknown): boolean {
    return this.problems(api, schema, value).length === 0;
  }
}
