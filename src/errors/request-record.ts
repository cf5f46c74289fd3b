/**
 * What one call is, as errors and events both describe it: enough to find it in logs, never the
 * credentials. Built once per call and shared.
 */
export interface RequestRecord {
  /** `platform` or `iam`. */
  api: string;
  /** Upper-case HTTP method. */
  method: string;
  /** The path template, e.g. `/organizations/{organizationId}/clusters`. */
  path: string;
  operationId: string | undefined;
}

/** Where a failed request was going: the call's record, its URL and how many attempts it took. */
export interface AstroRequestInfo extends RequestRecord {
  /** The URL that was requested (carries no credentials: the token travels in a header). */
  url: string;
  /** Attempts made, retries included. */
  attempts: number;
}
