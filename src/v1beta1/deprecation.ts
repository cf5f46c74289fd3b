import { readProcessGlobal, writeProcessGlobal } from "../internal/process-global.js";
import { emitProcessWarning } from "../events/process-warning.js";

/** The code of the warning, for `process.on("warning")` filters and `--disable-warning`. */
export const V1BETA1_DEPRECATION_CODE = "ASTRO_V1BETA1_DEPRECATED";

export const V1BETA1_DEPRECATION_MESSAGE =
  "astro-api-client/v1beta1: Astronomer deprecated the Astro API v1beta1 (Platform and IAM) and ends its support " +
  'in January 2027. Move to the v1 client: import { createAstroClient } from "astro-api-client" ' +
  "(see the README, Migrating from v1beta1).";

/**
 * Once per process, even when both the ESM and the CJS build of this entry are loaded (a dual
 * package): the flag lives on `globalThis` under a registered symbol, not in module state.
 */
const WARNED = Symbol.for("astro-api-client.v1beta1-deprecation-warned");

/** This copy warned: where `globalThis` does not take the flag (frozen), once per copy instead. */
let warnedHere = false;

/** Emits the deprecation warning the first time a v1beta1 client is created in this process. */
export function warnV1beta1Deprecated(): void {
  if (warnedHere || readProcessGlobal(WARNED)) return;
  warnedHere = true;
  writeProcessGlobal(WARNED, true);
  // A warning listener that throws must not break client creation (emitProcessWarning sees to it).
  emitProcessWarning(V1BETA1_DEPRECATION_MESSAGE, {
    type: "DeprecationWarning",
    code: V1BETA1_DEPRECATION_CODE,
  });
}

/**
 * Marks the warning as given, for this SDK's own tools that check the v1beta1 documents on
 * purpose (`npm run contract:live`). Not exported by the package.
 */
export function markV1beta1WarningGiven(): void {
  warnedHere = true;
  writeProcessGlobal(WARNED, true);
}
