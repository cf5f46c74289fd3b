import { locateDocument, type DocumentOptions } from "../../src/mock/documents.js";
import { API_NAMES, type ApiName, type DocumentName } from "../../src/operations/manifest.js";
import type { OpenApiDocument } from "../openapi/document.js";
import { parseSpec } from "../openapi/parse.js";

/** One pinned document the contract is derived from. */
export interface ContractDocument<D extends DocumentName = DocumentName> {
  api: D;
  /** The file it was read from. */
  file: string;
  /** Its verified text. */
  text: string;
  doc: OpenApiDocument;
}

/**
 * Reads and parses the pinned documents named (by default the two v1beta1 APIs, which the client
 * serves today; pass `DOCUMENT_NAMES` for v1 too), found the same way the mock finds them.
 */
export async function loadDocuments<D extends DocumentName = ApiName>(
  options: DocumentOptions = {},
  names: readonly D[] = API_NAMES as readonly DocumentName[] as readonly D[],
): Promise<ContractDocument<D>[]> {
  return Promise.all(
    names.map(async (api) => {
      const located = await locateDocument(api, options);
      return { api, file: located.file, text: located.text, doc: parseSpec(located.text, located.file) };
    }),
  );
}
