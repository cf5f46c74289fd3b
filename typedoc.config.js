// API reference: `npm run docs` writes it to api-reference/ (git-ignored); `npm run docs:check`
// only validates, failing on a broken {@link} or an undocumented export (test/hygiene/
// api-reference.test.ts shows both on a small library).
import { OptionDefaults } from "typedoc";

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "astro-api-client",
  entryPoints: ["src/index.ts", "src/v1beta1/index.ts", "src/mock/index.ts"],
  out: "api-reference",
  // The README speaks to people installing the package; the reference starts at the modules.
  readme: "none",
  includeVersion: true,
  plugin: ["./typedoc-generated.js"],
  excludePrivate: true,
  excludeInternal: true,
  // openapi-typescript writes each schema's description as `@description` (generated/).
  blockTags: [...OptionDefaults.blockTags, "@description"],
  treatWarningsAsErrors: true,
  treatValidationWarningsAsErrors: true,
  validation: {
    notExported: true,
    invalidLink: true,
    invalidPath: true,
    rewrittenLink: true,
    notDocumented: true,
    unusedMergeModuleWith: true,
  },
};
