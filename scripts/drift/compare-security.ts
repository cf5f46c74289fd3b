import { isDeepStrictEqual } from "node:util";
import type { OpenApiDocument } from "../openapi/document.js";
import { show } from "./api-change.js";
import type { Collector } from "./change-collector.js";

type SecurityRequirement = Record<string, string[]>;

/** The alternatives of a security requirement, each the set of scheme names it needs (`[]` for anonymous). */
function alternatives(requirements: unknown, rename: ReadonlyMap<string, string> = new Map()): string[][] {
  const list = (requirements as SecurityRequirement[] | undefined) ?? [{}];
  return list.map((r) =>
    Object.keys(r)
      .map((name) => rename.get(name) ?? name)
      .sort(),
  );
}

function describeSecurity(requirements: unknown): string {
  if (requirements === undefined) return "none";
  const list = alternatives(requirements);
  return list.map((names) => names.join(" + ") || "anonymous").join(" or ");
}

/**
 * Compares requirements by scheme name, a renamed scheme counting as the same one (what each
 * scheme means is compared once, in `compareSecuritySchemes`). A client that satisfied one of the
 * old alternatives must satisfy one of the new ones, or the change is breaking.
 */
export function compareSecurity(
  c: Collector,
  location: string,
  before: unknown,
  after: unknown,
  renamed: ReadonlyMap<string, string>,
): void {
  const was = alternatives(before, renamed);
  const now = alternatives(after);
  const key = (alts: string[][]) => alts.map((a) => a.join("+")).sort();
  if (isDeepStrictEqual(key(was), key(now))) return;
  const satisfied = (sent: string[]) => now.some((needed) => needed.every((name) => sent.includes(name)));
  c.add(
    "security-changed",
    !was.every(satisfied),
    location,
    `Security requirements changed from ${describeSecurity(before)} to ${describeSecurity(after)}.`,
  );
}

/** Reports scheme changes and returns the renames: a scheme removed while an identical one is added under another name. */
export function compareSecuritySchemes(c: Collector): Map<string, string> {
  const before = (c.before.components?.securitySchemes ?? {}) as Record<string, unknown>;
  const after = (c.after.components?.securitySchemes ?? {}) as Record<string, unknown>;
  const pointer = (name: string) => `#/components/securitySchemes/${name}`;
  const renamed = new Map<string, string>();
  for (const [name, scheme] of Object.entries(before)) {
    if (name in after) continue;
    const twin = Object.keys(after).find((n) => !(n in before) && isDeepStrictEqual(after[n], scheme));
    if (twin !== undefined && ![...renamed.values()].includes(twin)) renamed.set(name, twin);
  }
  for (const [name, scheme] of Object.entries(before)) {
    const twin = renamed.get(name);
    if (twin !== undefined)
      c.add(
        "security-scheme-renamed",
        false,
        pointer(twin),
        `Security scheme \`${name}\` was renamed \`${twin}\`.`,
      );
    else if (!(name in after))
      c.add("security-scheme-removed", true, pointer(name), `Removed security scheme \`${name}\`.`);
    else if (!isDeepStrictEqual(scheme, after[name]))
      c.add(
        "security-scheme-changed",
        true,
        pointer(name),
        `Security scheme \`${name}\` changed from ${JSON.stringify(scheme)} to ${JSON.stringify(after[name])}.`,
      );
  }
  const twins = new Set(renamed.values());
  for (const name of Object.keys(after)) {
    if (!(name in before) && !twins.has(name))
      c.add("security-scheme-added", false, pointer(name), `Added security scheme \`${name}\`.`);
  }
  return renamed;
}

export function compareServers(c: Collector): void {
  const urls = (doc: OpenApiDocument) => (doc.servers ?? []).map((s) => s.url);
  const before = urls(c.before);
  const after = urls(c.after);
  for (const url of before.filter((u) => !after.includes(u)))
    c.add("server-removed", true, "#/servers", `Removed server ${show(url)}.`);
  for (const url of after.filter((u) => !before.includes(u)))
    c.add("server-added", false, "#/servers", `Added server ${show(url)}.`);
}
