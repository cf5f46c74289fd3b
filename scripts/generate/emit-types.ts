import openapiTS, { astToString } from "openapi-typescript";
import type { OpenApiDocument } from "../openapi/document.js";

/** `paths`, `components` and `operations` types of one document, via openapi-typescript. */
export async function emitTypes(doc: OpenApiDocument): Promise<string> {
  // openapi-typescript bundles the object it is given; a copy keeps the caller's document intact.
  const ast = await openapiTS(structuredClone(doc) as Parameters<typeof openapiTS>[0], {
    // The API answers only the attributes a token may see, so responses are typed as declared
    // but never validated at runtime; keeping `required` as the spec says matches what users read.
    alphabetize: false,
  });
  return astToString(ast);
}
