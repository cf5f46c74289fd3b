/** What a secret is replaced by wherever the SDK repeats text it did not write. */
export const REDACTED = "[REDACTED]";

/**
 * Replaces every occurrence of each secret in `text` (a server may echo the token back, a Redis
 * error may quote its URL's password). The one redaction rule of the SDK: errors, events and log
 * lines all go through here.
 */
export function redact(text: string, secrets: string | readonly string[] | undefined): string {
  if (secrets === undefined || secrets === "") return text;
  if (typeof secrets === "string") return text.includes(secrets) ? text.split(secrets).join(REDACTED) : text;
  let result = text;
  for (const secret of secrets)
    if (secret && result.includes(secret)) result = result.split(secret).join(REDACTED);
  return result;
}
