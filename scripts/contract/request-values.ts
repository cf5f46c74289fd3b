import { sample } from "openapi-sampler";
import type { DocumentName } from "../../src/operations/manifest.js";
import { deref } from "../openapi/deref.js";
import type { MediaType, OpenApiDocument, ParameterObject, SchemaObject } from "../openapi/document.js";
import type { SchemaValidator } from "./schema-validator.js";

/**
 * Values for the requests of the contract, derived from a document alone: parameter values,
 * candidate bodies (examples, samples, one per `oneOf` branch), and bodies broken so that a
 * validating server must reject them.
 */

export function jsonMedia(content: Record<string, MediaType> | undefined): [string, MediaType] | undefined {
  const key = Object.keys(content ?? {}).find((type) => /json/i.test(type));
  return key === undefined ? undefined : [key, content![key]!];
}

/** A value for a parameter: its example, its schema's example or first enum value, else a sample. */
export function parameterValue(doc: OpenApiDocument, parameter: ParameterObject): unknown {
  const withExample = parameter as ParameterObject & { example?: unknown };
  if (withExample.example !== undefined) return withExample.example;
  const schema = parameter.schema ? deref<SchemaObject>(doc, parameter.schema) : { type: "string" };
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.type === "string" && schema.format === undefined) return `${parameter.name}-1`;
  return sample(schema as never, { quiet: true }, doc);
}

/** A candidate request body, and what had to be done to make it, when it is unusual. */
export interface BodyCandidate {
  value: unknown;
  note?: string;
}

/** A value no schema of this type accepts: the wrong JSON type. */
function wrongType(schema: SchemaObject): unknown {
  return schema.type === "string" ? 0 : "not-a-" + (schema.type ?? "value");
}

/**
 * Candidate bodies, best first: the document's examples, a sample of the whole schema, then a
 * sample of each `oneOf` branch (a sample of the whole takes the first branch, which may also
 * match another one, and `oneOf` wants exactly one). When branches overlap so that a sample
 * matches several, last come samples that also carry a property only the other branches
 * declare, with a type they reject.
 */
export function bodyCandidates(doc: OpenApiDocument, media: MediaType): BodyCandidate[] {
  const candidates: BodyCandidate[] = [];
  if (media.example !== undefined) candidates.push({ value: media.example });
  for (const example of Object.values(media.examples ?? {})) {
    const value = deref<{ value?: unknown }>(doc, example as { value?: unknown }).value;
    if (value !== undefined) candidates.push({ value });
  }
  if (!media.schema) return candidates;
  const schema = deref<SchemaObject>(doc, media.schema);
  const options = { quiet: true, skipReadOnly: true };
  candidates.push({ value: sample(schema as never, options, doc) });
  const branches = ((schema.oneOf as SchemaObject[] | undefined) ?? []).map((b) =>
    deref<SchemaObject>(doc, b),
  );
  for (const branch of branches) {
    candidates.push({ value: sample(branch as never, options, doc) });
    candidates.push({ value: sample(branch as never, { ...options, skipNonRequired: true }, doc) });
  }
  for (const [i, branch] of branches.entries()) {
    const base = sample(branch as never, options, doc) as Record<string, unknown>;
    const excluding: Record<string, unknown> = {};
    for (const other of branches.filter((_, j) => j !== i)) {
      for (const [name, property] of Object.entries(other.properties ?? {})) {
        if (!(name in (branch.properties ?? {})))
          excluding[name] = wrongType(deref<SchemaObject>(doc, property));
      }
    }
    const names = Object.keys(excluding);
    if (names.length === 0) continue;
    candidates.push({
      value: { ...base, ...excluding },
      note:
        `its oneOf branches overlap (no body matches exactly one as the examples are); ` +
        `this body matches only ${refName(schema.oneOf as unknown[], i)} by giving ${names.join(", ")} ` +
        `(declared only by the other branches) a type they reject`,
    });
  }
  return candidates;
}

/**
 * Pairs of `oneOf` branches that accept each other's bodies: a body meant for either matches
 * both, so a validating server (Prism) rejects it. Reported, because it is a defect of the
 * document that the real API may not share.
 */
export function overlappingBranches(
  validator: SchemaValidator,
  api: DocumentName,
  doc: OpenApiDocument,
  schema: SchemaObject,
): string[] {
  const raw = (schema.oneOf as unknown[] | undefined) ?? [];
  const branches = raw.map((b) => deref<SchemaObject>(doc, b as SchemaObject));
  const samples = branches.map((b) => sample(b as never, { quiet: true, skipReadOnly: true }, doc));
  const notes: string[] = [];
  for (let i = 0; i < branches.length; i++)
    for (let j = i + 1; j < branches.length; j++)
      if (validator.valid(api, branches[j]!, samples[i]) && validator.valid(api, branches[i]!, samples[j]))
        notes.push(
          `request body: oneOf branches ${refName(raw, i)} and ${refName(raw, j)} accept each other's bodies, ` +
            `so a body meant for either matches both and a validating server rejects it`,
        );
  return notes;
}

function refName(branches: unknown[], i: number): string {
  const ref = (branches[i] as { $ref?: string }).$ref;
  return ref ? ref.slice(ref.lastIndexOf("/") + 1) : `branch ${i + 1}`;
}

/** The object schema a body is checked against: the `oneOf` branch it matches, or the schema itself. */
export function bodyShape(
  validator: SchemaValidator,
  api: DocumentName,
  doc: OpenApiDocument,
  schema: SchemaObject,
  body: unknown,
): SchemaObject {
  for (const branch of (schema.oneOf as SchemaObject[] | undefined) ?? []) {
    const resolved = deref<SchemaObject>(doc, branch);
    if (validator.valid(api, resolved, body)) return resolved;
  }
  return schema;
}

/**
 * Breaks a valid body in a way the schema must reject: first by leaving out a required
 * property, else by giving an enum property a value outside it, else a property the wrong type.
 */
export function breakBody(
  doc: OpenApiDocument,
  shape: SchemaObject,
  body: Record<string, unknown>,
): { body: Record<string, unknown>; what: string; violation: RegExp } | undefined {
  const required = shape.required?.[0];
  if (required !== undefined) {
    const { [required]: _, ...rest } = body;
    return {
      body: rest,
      what: `without required property ${required}`,
      violation: new RegExp(`required property '${required}'`),
    };
  }
  const properties = Object.entries(shape.properties ?? {}).map(
    ([name, p]) => [name, deref<SchemaObject>(doc, p)] as const,
  );
  const enumerated = properties.find(([, p]) => p.enum?.length);
  if (enumerated) {
    const [name] = enumerated;
    return {
      body: { ...body, [name]: "NOT_AN_ALLOWED_VALUE" },
      what: `with ${name} outside its enum`,
      violation: /must be equal to one of the allowed values/,
    };
  }
  const typed = properties.find(
    ([, p]) => p.type === "string" || p.type === "integer" || p.type === "boolean",
  );
  if (typed) {
    const [name, p] = typed;
    return {
      body: { ...body, [name]: p.type === "string" ? 12345 : "not-a-" + p.type },
      what: `with ${name} of the wrong type`,
      violation: new RegExp(`must be ${p.type}`),
    };
  }
  return undefined;
}
