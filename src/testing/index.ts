/**
 * `astro-api-client/testing`: a stateful fake of the Astro API v1 for your own tests — resources
 * you create can be read back, listed page by page and deleted; deployments, clusters and deploys
 * move through their statuses on a clock you control; the gateway's token checks and rate limits
 * answer as Astro's do; faults can be injected. Built from the pinned v1 document at generate
 * time: it reads no OpenAPI document and needs no network at run time.
 * @packageDocumentation
 */
export { startAstroFake, type AstroFake, type StartAstroFakeOptions } from "./server.js";
export {
  astroFakeHandlers,
  type AstroFakeHandlers,
  type AstroFakeHandlersOptions,
  type MswModule,
} from "./msw.js";
export { DEFAULT_FAKE_ORGANIZATION_ID, DEFAULT_FAKE_TOKEN, type AstroFakeOptions } from "./options.js";
export type { AstroFakeControls, FakeRequestLog, FakeStateView } from "./controls.js";
export type { FakeRecord } from "./state.js";
export type { FakeClock } from "./clock.js";
export type { FaultController, FaultOptions, FaultRule, OneShotFault } from "./faults.js";
export type { LifecycleOptions, LifecycleTiming } from "./lifecycles.js";
export type { UpdateLag, VersionLag } from "./lags.js";
export type { RateLimits } from "./gateway.js";
export type { FakeUpload } from "./uploads.js";
export type { FieldError } from "./validation.js";
