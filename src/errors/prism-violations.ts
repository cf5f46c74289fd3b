/**
 * Prism answers a request (or, as a proxy, a response) that breaks the document with an
 * `sl-violations` header: a JSON array of what is wrong. Read in one place by the SDK's error
 * messages, the contract suite and `npm run contract:live`. Free of imports.
 */

export const VIOLATIONS_HEADER = "sl-violations";

/** One entry of the `sl-violations` header. */
export interface PrismViolation {
  /** Where, e.g. `["request", "body", "name"]`. */
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

/**
 * The violations in a response's headers: `undefined` without the header, the header's text when
 * it is not the JSON array Prism writes (never throws: servers send garbage), else the entries
 * that carry a message.
 */
export function prismViolations(
  headers: Headers | Readonly<Record<string, string | undefined>>,
): PrismViolation[] | string | undefined {
  const header = headers instanceof Headers ? headers.get(VIOLATIONS_HEADER) : headers[VIOLATIONS_HEADER];
  if (!header) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    return header;
  }
  if (!Array.isArray(parsed)) return header;
  return parsed
    .filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null)
    .filter((v) => typeof v.message === "string")
    .map((v) => ({
      location: Array.isArray(v.location) ? v.location.map(String) : [],
      severity: typeof v.severity === "string" ? v.severity : "",
      code: typeof v.code === "number" ? v.code : typeof v.code === "string" ? v.code : "",
      message: v.message as string,
    }));
}

/** `request.body.name: must be string`: one violation as a line. */
export function describeViolation(violation: Pick<PrismViolation, "location" | "message">): string {
  const where = violation.location.join(".");
  return where ? `${where}: ${violation.message}` : violation.message;
}
