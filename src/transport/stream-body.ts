import { AstroConnectionError } from "../errors/error-classes.js";
import { redact, secretForms } from "../errors/redact.js";
import { safeCause } from "../errors/safe-cause.js";
import { MAX_DETAIL_LENGTH, safeLine } from "../errors/server-text.js";
import { failureText, type CallPlan } from "./decide.js";

/**
 * A streamed 2xx body (GetOrganizationAuditLogs) as the caller reads it: the server's bytes
 * untouched, with two duties of the call that outlive its promise.
 *
 * - The call listens to the caller's signal until the body ends (the signal must still stop a
 *   download in progress); `end` stops listening once it is read to the end, fails, or is
 *   cancelled — so a download leaves nothing on a signal that outlives it.
 * - A body cut off mid-way (undici's `TypeError: terminated`) fails the stream with the
 *   `AstroError` `failure` makes of it, which names the request; the caller's abort stays its
 *   own reason.
 */
export function guardedBody(
  body: ReadableStream<Uint8Array>,
  end: () => void,
  failure: (error: unknown, bytesReceived: number) => unknown,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let bytes = 0;
  let ended = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    end();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          finish();
          controller.error(failure(error, bytes));
          return;
        }
        if (chunk.done) {
          finish();
          controller.close();
          return;
        }
        bytes += chunk.value.byteLength;
        controller.enqueue(chunk.value);
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    },
    // Nothing is read ahead of the caller: the bytes flow as the caller pulls them.
    { highWaterMark: 0 },
  );
}

/**
 * The error a streamed body (GetOrganizationAuditLogs) fails with when the connection is cut
 * mid-body (undici's `TypeError: terminated`): an `AstroConnectionError` naming the request, how
 * many bytes arrived, and that the download must be made again (bytes cannot be resumed).
 */
export function streamCutError(
  call: CallPlan,
  attempt: number,
  token: string,
  error: unknown,
  bytesReceived: number,
): AstroConnectionError {
  const secrets = secretForms(token);
  const reason = safeLine(redact(failureText(error), secrets), MAX_DETAIL_LENGTH);
  return new AstroConnectionError(
    `the response body was cut off after ${bytesReceived} bytes (${reason}) (${call.record.method} ${call.record.path}); ` +
      `the bytes before were delivered as they arrived: make the call again for the whole body`,
    { ...call.record, url: call.url, attempts: attempt },
    { cause: safeCause(error, secrets) },
  );
}
