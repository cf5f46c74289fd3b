/**
 * astro-api-client/v1beta1: the Astro Platform and IAM APIs v1beta1, deprecated by Astronomer,
 * supported until January 2027. The surface of the SDK before v1 (`{ platform, iam, stats, close }`),
 * on the same runtime as the v1 client. Use `astro-api-client` (v1) for new code.
 * @packageDocumentation
 */
export {
  createAstroClient,
  type AstroClient,
  type PlatformClient,
  type PlatformApi,
  type IamClient,
} from "./create-client.js";
export type { V1beta1ClientOptions, V1beta1ClientOptions as AstroClientOptions } from "../client/options.js";
export { V1BETA1_DEPRECATION_CODE } from "./deprecation.js";
export * from "../shared-exports.js";
/**
 * `operationsByDocument` (every document's operations) is here and not in the v1 entry, which
 * carries the v1 manifest only (its `operations`).
 */
export { operations, operationsByDocument } from "../../generated/operations.js";
export type { paths as PlatformPaths, components as PlatformComponents } from "../../generated/platform.js";
export type { paths as IamPaths, components as IamComponents } from "../../generated/iam.js";
