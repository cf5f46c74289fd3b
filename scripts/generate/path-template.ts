import { PipelineError } from "../shared/errors.js";

/**
 * One segment of a path template: characters a URL path keeps as they are (RFC 3986 `pchar`
 * without `%`) and `{name}` parameters. `.` and `..` are refused apart: a URL resolves them, so
 * `/things/../admin` would be sent to `/admin`. `?`, `#`, `\`, spaces and `%` would start a
 * query or a fragment, be rewritten, or be decoded on the way: the request would not reach the
 * path the document declares.
 */
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|\{[A-Za-z_][A-Za-z0-9_]*\})+$/;

/**
 * A document's path template, checked to be one the client sends unchanged: `/`-separated
 * non-empty segments as `SEGMENT` says. Anything else is a `PipelineError` naming the operation.
 */
export function checkPathTemplate(api: string, where: string, path: string): void {
  const segments = path.split("/");
  const bad =
    segments[0] !== "" ? path : segments.slice(1).find((s) => s === "." || s === ".." || !SEGMENT.test(s));
  if (bad !== undefined)
    throw new PipelineError(
      `${api}: ${where}: the path segment ${JSON.stringify(bad)} would not reach the server as written ` +
        "(a URL resolves . and .., starts a query at ? and a fragment at #, and decodes %)",
    );
}
