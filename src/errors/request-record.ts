/**
 * What one call is, as errors and events both describe it: enough to find it in logs, never the
 * credentials. Built once per call and shared.
 */
export interface RequestRecord {
  /** `v1`, or `platform`/`iam` on the v1beta1 client. */
  api: string;
  /** Upper-case HTTP method. */
  method: string;
  /** The path template, e.g. `/organizations/{organizationId}/clusters`. */
  path: string;
  /** The operation's id in the API document, when the path and method name one. */
  operationId: string | undefined;
}

/** Where a failed request was going: the call's record, its URL and how many attempts it took. */
export interface AstroRequestInfo extends RequestRecord {
  /** The URL that was requested (carries no credentials: the token travels in a header). */
  url: string;
  /** Attempts made, retries included. */
  attempts: number;
}
