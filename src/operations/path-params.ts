import { AstroConfigError } from "../errors/error-classes.js";

const TEMPLATE_PARAM = /\{([^{}]+)\}/g;
/** Visible characters only: no whitespace, controls, or invisible formatting characters. */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const PLAIN_ID = /^[\w-]+$/;
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
/** What would add or climb a path segment once a server (or a proxy) decodes the value. */
const SEPARATOR = /[/\\]/;

/**
 * The longest id the SDK and its fake take from a server or a test (a deploy id, the fake's
 * organization id): Astro's ids are 25 characters; this leaves room for any id a test makes up,
 * and keeps a hostile server's kilobytes out of the paths every event and error repeats.
 */
export const MAX_ID_LENGTH = 256;

/**
 * `value` percent-decoded until it stops changing, leniently (each valid ASCII escape on its own,
 * as forgiving servers do), so a double-encoded `%252e` is seen as the `.` some servers make of it.
 */
function decodedForms(value: string): string[] {
  const forms = [value];
  let current = value;
  for (let round = 0; round < 4 && current.includes("%"); round++) {
    const next = current.replace(/%([0-7][0-9a-f])/gi, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    );
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

/** Why a path parameter value is unusable, or `undefined` when it is one safe segment. */
function problemWith(value: unknown): string | undefined {
  if (value === undefined) return "is missing";
  if (value === null) return "is null";
  if (typeof value === "number") {
    return Number.isFinite(value) ? undefined : `must be a finite number, got ${String(value)}`;
  }
  if (typeof value !== "string") {
    return `must be a string, got ${Array.isArray(value) ? "an array" : typeof value}`;
  }
  if (value === "") return "is empty";
  // The common case, an id of letters, digits, `_` and `-`, has nothing to decode or fold.
  if (PLAIN_ID.test(value)) return undefined;
  if (UNPRINTABLE.test(value)) return "contains whitespace, control or invisible characters";
  for (const form of decodedForms(value)) {
    // NFKC folds look-alikes (a one-dot leader, a fullwidth full stop) into the characters some servers see.
    for (const spelling of ASCII.test(form) ? [form] : [form, form.normalize("NFKC")]) {
      if (spelling === "." || spelling === "..") return "is a dot segment";
      if (spelling.trim() === "") return "is empty once decoded";
      if (SEPARATOR.test(spelling)) return "contains a path separator";
    }
  }
  return undefined;
}

/**
 * Every `{name}` of the path template must be filled with exactly one path segment: a non-empty
 * string or a finite number that no decoding turns into `.`, `..`, or something with `/` or `\`.
 * Otherwise the call would reach another resource than the one named, so it is rejected before
 * anything is sent.
 *
 * @throws AstroConfigError naming the parameter.
 */
export function checkPathParams(
  template: string,
  params: Record<string, unknown> | undefined,
  what: string,
): Record<string, unknown> | undefined {
  const names = namesOf(template);
  if (names.length === 0) return params;
  // A copy of what was checked: a getter cannot answer differently when openapi-fetch reads it.
  const checked: Record<string, unknown> = {};
  for (const name of names) {
    const value = params?.[name];
    const problem = problemWith(value);
    if (problem !== undefined) {
      throw new AstroConfigError(
        `${what}: path parameter ${name} ${problem}; it must be one path segment (an id)`,
      );
    }
    checked[name] = value;
  }
  return checked;
}

const templates = new Map<string, string[]>();

/** The parameter names of a path template (memoised: a client uses a few dozen templates). */
function namesOf(template: string): string[] {
  let names = templates.get(template);
  if (!names) {
    names = [...template.matchAll(TEMPLATE_PARAM)].map((match) => match[1]!);
    if (templates.size < 1000) templates.set(template, names);
  }
  return names;
}

/** The same rule for a default given to the client (e.g. `organizationId`), checked at construction. */
export function checkPathSegment(value: unknown, option: string): void {
  const problem = problemWith(value);
  if (problem !== undefined) {
    throw new AstroConfigError(`${option} ${problem}; it must be one path segment (an id)`);
  }
}

/**
 * A path template outside the manifest: `/`-separated, non-empty segments, none a dot segment,
 * and no `?`, `#`, `\\` or `%` (a `%2e` segment is a dot segment to a URL parser).
 *
 * @throws AstroConfigError
 */
export function checkTemplate(path: string): void {
  const segments = path.split("/");
  const plain =
    segments[0] === "" &&
    segments.length > 1 &&
    segments
      .slice(1)
      .every((segment) => segment !== "" && segment !== "." && segment !== ".." && !/[?#\\%]/.test(segment));
  if (!plain || UNPRINTABLE.test(path)) {
    throw new AstroConfigError(
      `${JSON.stringify(path.slice(0, 200))} is not a path template of this API: it must be /-separated segments, none empty, "." or "..", without ?, #, \\ or %`,
    );
  }
}
