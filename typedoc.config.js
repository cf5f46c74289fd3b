// API reference: `npm run docs` writes it to api-reference/ (git-ignored); `npm run docs:check`
// only validates, failing on a broken {@link} or an undocumented export (test/hygiene/
// api-reference.test.ts shows both on a small library).
import { execFileSync } from "node:child_process";
import { OptionDefaults } from "typedoc";

/**
 * Whether this clone has a git remote named "origin", which TypeDoc reads to link each symbol to
 * its source. Without one (a clone made with `-o upstream`, a repository set up from a tarball)
 * TypeDoc warns, and with warnings as errors `docs:check` would fail there: the links then name
 * the files by their path in the repository instead.
 */
function hasOrigin() {
  try {
    execFileSync("git", ["remote", "get-url", "origin"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "astro-api-client",
  entryPoints: ["src/index.ts", "src/v1beta1/index.ts", "src/mock/index.ts", "src/testing/index.ts"],
  out: "api-reference",
  // The README speaks to people installing the package; the reference starts at the modules.
  readme: "none",
  includeVersion: true,
  plugin: ["./typedoc-generated.js"],
  ...(hasOrigin() ? {} : { disableGit: true, sourceLinkTemplate: "{path}#L{line}" }),
  excludePrivate: true,
  excludeInternal: true,
  // openapi-typescript writes each schema's description as `@description` (generated/).
  blockTags: [...OptionDefaults.blockTags, "@description"],
  // Referenced by the public types but left out of the reference on purpose:
  // - type-level helpers that compute a method's parameters and results from the generated types
  //   (the reference shows where they are used; their conditional types would only add noise);
  // - the name lists behind `DocumentName` and `ApiName`, runtime constants not worth exporting;
  // - openapi-typescript's `operations` interfaces and the manifest's id and pagination maps,
  //   reachable through the exported `*Paths` types (`operations` would collide with the exported
  //   manifest of the same name).
  // (The plugin applies each entry only where its file exists: see typedoc-generated.js.)
  notExportedIfPresent: [
    "src/operations/signatures.ts:OperationMethods",
    "src/operations/signatures.ts:AstroMethod",
    "src/operations/signatures.ts:PaginateMethod",
    "src/operations/signatures.ts:PathParamsOf",
    "src/operations/signatures.ts:QueryParamsOf",
    "src/operations/signatures.ts:BodyOf",
    "src/operations/organization.ts:OrgOptional",
    "src/workflows/client.ts:DataOf",
    "src/operations/manifest.ts:API_NAMES",
    "src/operations/manifest.ts:DOCUMENT_NAMES",
    "generated/v1.ts:operations",
    "generated/platform.ts:operations",
    "generated/iam.ts:operations",
    "generated/v1-operations.ts:V1OperationIds",
    "generated/v1-operations.ts:V1Paginated",
    "generated/platform-operations.ts:PlatformOperationIds",
    "generated/platform-operations.ts:PlatformPaginated",
    "generated/iam-operations.ts:IamOperationIds",
    "generated/iam-operations.ts:IamPaginated",
  ],
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
