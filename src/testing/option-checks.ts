/**
 * Checks of the options a test gives `startAstroFake` and `astroFakeHandlers` (besides `faults`,
 * fault-checks.ts), so a mistake fails at start with an `AstroConfigError` naming it — not as a
 * `TypeError` of the fake's own, a fake that accepts no token it names (`tokens: "secret"` was a
 * set of its characters), or a lifecycle that never ends (`afterPolls: NaN` kept a deployment
 * `CREATING`, and a waiter against it ran to its maxWaitMs).
 */
import { checkOrganizationId } from "../client/checks.js";
import { MAX_ID_LENGTH } from "../operations/path-params.js";
import { fail } from "./fault-checks.js";
import { isObject } from "./records.js";
import type { AstroFakeOptions } from "./options.js";

/** `value` is undefined or a whole number ≥ 0 (reads, polls, requests per second). */
function checkCount(where: string, value: unknown): void {
  if (value !== undefined && !(typeof value === "number" && Number.isSafeInteger(value) && value >= 0))
    fail(where, "a whole number ≥ 0", value);
}

/** `value` is undefined, a whole number ≥ 0, or `Infinity` for "never by reads alone" (the clock or `settle()` ends it). */
function checkReads(where: string, value: unknown): void {
  if (value !== Infinity) checkCount(where, value);
}

/** `value` is undefined or a finite number of milliseconds ≥ 0. */
function checkDuration(where: string, value: unknown): void {
  if (value !== undefined && !(typeof value === "number" && Number.isFinite(value) && value >= 0))
    fail(where, "a number of milliseconds ≥ 0", value);
}

function checkBoolean(where: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") fail(where, "true or false", value);
}

/** An object of the given fields (or, with `orFalse`, `false`), each checked by its own rule. */
function checkFields(
  where: string,
  value: unknown,
  fields: Record<string, (where: string, value: unknown) => void>,
  orFalse = false,
): void {
  if (value === undefined || (orFalse && value === false)) return;
  if (!isObject(value)) fail(where, orFalse ? "an object or false" : "an object", value);
  // A misspelt field (`afterPoll`) would be ignored, and the default kept without a word.
  for (const name of Object.keys(value))
    if (!Object.hasOwn(fields, name))
      fail(`${where} field`, `one of ${Object.keys(fields).join(", ")}`, name);
  for (const [name, check] of Object.entries(fields)) check(`${where}.${name}`, value[name]);
}

const timing = {
  afterPolls: checkReads,
  afterMs: checkDuration,
  // Which statuses are allowed is the document's to say (createLifecycles); a string it must be.
  outcome: (where: string, value: unknown) => {
    if (value !== undefined && typeof value !== "string") fail(where, "a status name", value);
  },
};

/** A bearer token the fake can be sent (within the 16 KiB of headers its Node server reads): visible ASCII, as the SDK sends tokens. */
const TOKEN = /^[\x21-\x7e]{1,4096}$/;

/** Throws an `AstroConfigError` naming the first unusable option (faults are checked by `createFaults`). */
export function checkFakeOptions(options: unknown): asserts options is AstroFakeOptions {
  if (!isObject(options)) fail("the fake's options", "an object", options);
  const { tokens } = options;
  if (
    tokens !== undefined &&
    tokens !== "any" &&
    !(
      Array.isArray(tokens) &&
      tokens.length > 0 &&
      tokens.every((token) => typeof token === "string" && TOKEN.test(token))
    )
  )
    fail("tokens", '"any" or a non-empty array of tokens (visible ASCII, no spaces, at most 4096)', tokens);
  checkOrganizationId(options.organizationId, "organizationId");
  // Its id is in the path of most requests: one too long for a request line could not be asked for.
  if (typeof options.organizationId === "string" && options.organizationId.length > MAX_ID_LENGTH)
    fail("organizationId", `an id of at most ${MAX_ID_LENGTH} characters`, options.organizationId);
  if (options.rateLimits !== false)
    checkFields("rateLimits", options.rateLimits, { get: checkCount, post: checkCount, delete: checkCount });
  checkBoolean("validate", options.validate);
  checkFields("lifecycles", options.lifecycles, {
    deployment: (where, value) => checkFields(where, value, timing),
    cluster: (where, value) => checkFields(where, value, timing),
    deploy: (where, value) => checkFields(where, value, timing),
    liveVersion: (where, value) =>
      checkFields(where, value, { afterPolls: checkReads, afterMs: checkDuration }, true),
    deploymentUpdate: (where, value) =>
      checkFields(where, value, { staleReads: checkReads, deployingReads: checkReads }, true),
    clusterBusy: checkBoolean,
  });
}
