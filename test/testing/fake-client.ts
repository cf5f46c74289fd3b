/**
 * A few lines of `fetch` for talking to the fake in tests, until the v1 client exists: the fake is
 * a real HTTP server, so these are real requests.
 */
import type { AstroFake } from "../../src/testing/index.js";

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads of arbitrary API bodies
}

export interface CallOptions {
  body?: unknown;
  /** Default: the fake's token; `null` sends no Authorization header. */
  token?: string | null;
  query?: Record<string, string | number | readonly (string | number)[]>;
}

/** `path` is relative to `/v1`, e.g. `/organizations/o1/workspaces`. */
export async function call(
  fake: AstroFake,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const url = new URL(`${fake.url}/v1${path}`);
  for (const [name, value] of Object.entries(options.query ?? {}))
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(v));
  const token = options.token === undefined ? fake.token : options.token;
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The organization's path prefix. */
export function org(fake: AstroFake): string {
  return `/organizations/${fake.organizationId}`;
}
