import { redact, secretForms } from "../errors/redact.js";

/**
 * `text` without the upload URL's query, nor its SAS signature (`sig`) in any spelling `redact`
 * knows: a store may quote the signature alone, percent-encoded in either case, or escaped.
 */
export function redactQuery(text: string, url: URL): string {
  return redact(text, sigForms(url));
}

/** The upload URL's secrets: its whole query, and its SAS signature as `secretForms` spells it. */
export function sigForms(url: URL): readonly string[] {
  const forms = url.search ? [url.search.slice(1)] : [];
  for (const [name, value] of url.searchParams) {
    if (name.toLowerCase() === "sig" && value !== "") forms.push(...secretForms(value));
  }
  return forms;
}
