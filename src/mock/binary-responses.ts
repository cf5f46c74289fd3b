import { createRequire } from "node:module";
import { prismEntry } from "./prism.js";

/**
 * Prism cannot answer a response whose media type it has no serialiser for (anything but JSON,
 * XML and text) unless the body it generates is already a string: v1's
 * `GetOrganizationAuditLogs` declares `application/octet-stream` with a schema of integers, and
 * Prism answers it with a 500 "Cannot find serializer". The mock therefore serves a copy of the
 * document in which such bodies are declared as `type: string, format: binary` (bytes, as the real
 * API sends them), so Prism answers them as a string of bytes with the declared media type.
 * Nothing else changes; the verified document is what the generator and the contract read.
 */

/** Media types Prism serialises itself: what matches one of these is left alone. */
const SERIALISABLE = /^(application\/(.+\+)?(json|xml)|text\/.+)(;.*)?$/i;

interface Media {
  schema?: unknown;
  example?: unknown;
  examples?: unknown;
}

type Responses = Record<string, { content?: Record<string, Media> } | undefined>;

/** YAML is parsed with the parser Prism itself uses (through its HTTP package), never bundled here. */
function parseYaml(text: string): unknown {
  const http = createRequire(prismEntry()).resolve("@stoplight/prism-http");
  const yaml = createRequire(http)("@stoplight/yaml") as { parse(text: string): unknown };
  return yaml.parse(text);
}

function patch(responses: Responses | undefined): boolean {
  let changed = false;
  for (const response of Object.values(responses ?? {})) {
    for (const [type, media] of Object.entries(response?.content ?? {})) {
      if (SERIALISABLE.test(type)) continue;
      media.schema = { type: "string", format: "binary" };
      delete media.example;
      delete media.examples;
      changed = true;
    }
  }
  return changed;
}

/** The document text Prism should serve: `text` itself, unless a response body needs the change above. */
export function servableDocument(text: string): string {
  // Only documents that declare a media type Prism cannot serialise are parsed at all (as a YAML
  // key, or a JSON one in quotes: the facts-only documents are JSON).
  if (!/^\s+"?(application\/(?!(.+\+)?(json|xml)\b)|image\/|audio\/|video\/)/m.test(text)) return text;
  const doc = parseYaml(text) as {
    paths?: Record<string, Record<string, unknown>>;
    components?: { responses?: Responses };
  };
  let changed = patch(doc.components?.responses);
  for (const item of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(item)) {
      if (operation !== null && typeof operation === "object" && "responses" in operation)
        changed = patch((operation as { responses?: Responses }).responses) || changed;
    }
  }
  // JSON is YAML: Prism reads it from the same snapshot file.
  return changed ? JSON.stringify(doc) : text;
}
