import { locateDocument, type DocumentOptions } from "../../src/mock/documents.js";
import { API_NAMES, type ApiName } from "../../src/operations/manifest.js";
import type { OpenApiDocument } from "../openapi/document.js";
import { parseSpec } from "../openapi/parse.js";

/** One pinned document the contract is derived from. */
export interface ContractDocument {
  api: ApiName;
  /** The file it was read from. */
  file: string;
  /** Its verified text. */
  text: string;
  doc: OpenApiDocument;
}

/** Reads and parses the pinned documents, found the same way the mock finds them. */
export async function loadDocuments(options: DocumentOptions = {}): Promise<ContractDocument[]> {
  return Promise.all(
    API_NAMES.map(async (api) => {
      const located = await locateDocument(api, options);
      return { api, file: located.file, text: located.text, doc: parseSpec(located.text, located.file) };
    }),
  );
}
