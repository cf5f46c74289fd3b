/**
 * astro-api-client: an unofficial TypeScript SDK for Astronomer's Astro API v1.
 *
 * The deprecated v1beta1 Platform and IAM clients (end of support January 2027) are in
 * `astro-api-client/v1beta1`.
 * @packageDocumentation
 */
export { createAstroClient, type AstroClient, type V1Api } from "./client/create-client.js";
export type { AstroClientOptions } from "./client/options.js";
export { PINNED_API_VERSION } from "./client/checks.js";
export * from "./shared-exports.js";
import { v1Operations } from "../generated/v1-operations.js";

/**
 * Every operation of the v1 API, as the client knows it (sorted by path, then method). The other
 * documents' (`operationsByDocument`) are in `astro-api-client/v1beta1`.
 */
export const operations = v1Operations;
export type { paths as V1Paths, components as V1Components } from "../generated/v1.js";
