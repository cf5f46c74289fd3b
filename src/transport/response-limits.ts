/**
 * How much of a response the transport reads and how far it follows redirects, declared once for
 * the attempt that reads and the decision that judges what was read.
 */

/** At most this much of an error body is read; the rest is left unread (the connection is closed). */
export const MAX_ERROR_BODY_BYTES = 1024 * 1024;
/**
 * At most this much of a 2xx JSON body is read (a page of 1,000 deployments is a few MiB): a
 * server sending more, or a gzip body inflating past it, would otherwise take the process's memory.
 */
export const MAX_RESPONSE_BODY_BYTES = 64 * 1024 * 1024;
/** Redirects followed in a row by one call. */
export const MAX_REDIRECTS = 5;
/** The statuses that redirect (with a `location`), whether or not the client follows them. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
