import { AstroConfigError } from "../errors/error-classes.js";
import type { RequiredKeysOf } from "openapi-typescript-helpers";

export const ORGANIZATION_ENV = "ASTRO_ORGANIZATION_ID";

/** `{ [K]: V }`, optional when V has no required keys. */
export type MaybeOptional<K extends string, V> =
  RequiredKeysOf<V> extends never ? { [P in K]?: V } : { [P in K]: V };

/** Path params with `organizationId` optional: the client fills it from its default. */
export type OrgOptional<T> = T extends { organizationId: unknown }
  ? Omit<T, "organizationId"> & { organizationId?: string }
  : T;

type OrgParams<Params> = "path" extends keyof Params
  ? Omit<Params, "path"> & MaybeOptional<"path", OrgOptional<NonNullable<Params["path"]>>>
  : Params;

/**
 * A call's options with `params.path.organizationId` optional (and `params`, then the whole
 * argument, optional when nothing else is required). The types cannot know whether a default is
 * configured (it may come from the environment), so a call without one fails at run time with a
 * message naming the option.
 */
export type WithOrgDefault<Init> = Init extends object
  ? "params" extends keyof Init
    ? Omit<Init, "params"> & MaybeOptional<"params", OrgParams<NonNullable<Init["params"]>>>
    : Init
  : Init;

/** Fills `{organizationId}` from the default when the call omits it; an explicit value always wins. */
export function withOrganization(
  path: string,
  params: { path?: Record<string, unknown> } | undefined,
  organizationId: string | undefined,
  what: string,
): { path?: Record<string, unknown> } | undefined {
  if (!path.includes("{organizationId}") || params?.path?.organizationId !== undefined) return params;
  if (organizationId === undefined) {
    throw new AstroConfigError(
      `${what} needs an organizationId: pass it with the call, or set a default with ` +
        `createAstroClient({ organizationId }) or ${ORGANIZATION_ENV}`,
    );
  }
  return { ...params, path: { ...params?.path, organizationId } };
}
