import { AstroConnectionError, AstroTimeoutError } from "../errors/error-classes.js";
import { redact } from "../errors/redact.js";
import { tokenSecrets } from "./token.js";
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
 * - A body that stalls — no byte for `idleMs` while the caller waits for one — is cancelled (its
 *   connection closed) and fails the same way, with `BODY_STALLED`: a server that stops mid-body
 *   must not hang a download that has no signal of its own. A slow body that keeps coming is
 *   read whatever its total time.
 */
export function guardedBody(
  body: ReadableStream<Uint8Array>,
  end: () => void,
  failure: (error: unknown, bytesReceived: number) => unknown,
  idleMs: number,
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
        let timer: ReturnType<typeof setTimeout> | undefined;
        const stalled = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(BODY_STALLED), idleMs);
        });
        try {
          chunk = await Promise.race([reader.read(), stalled]);
        } catch (error) {
          finish();
          if (error === BODY_STALLED) reader.cancel(error).catch(() => undefined);
          controller.error(failure(error, bytes));
          return;
        } finally {
          clearTimeout(timer);
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

/** What `guardedBody` hands `failure` when no byte came for `idleMs`. */
export const BODY_STALLED = new Error("no byte of the response body within the attempt's timeout");

/**
 * The error a streamed body (GetOrganizationAuditLogs) fails with when the connection is cut
 * mid-body (undici's `TypeError: terminated`): an `AstroConnectionError` naming the request, how
 * many bytes arrived, and that the download must be made again (bytes cannot be resumed). A body
 * that stalled (`BODY_STALLED`) is an `AstroTimeoutError`.
 */
export function streamCutError(
  call: CallPlan,
  attempt: number,
  token: string,
  error: unknown,
  bytesReceived: number,
): AstroConnectionError {
  const info = { ...call.record, url: call.url, attempts: attempt };
  const again = "the bytes before were delivered as they arrived: make the call again for the whole body";
  if (error === BODY_STALLED) {
    return new AstroTimeoutError(
      `no byte of the response body within ${call.timeoutMs} ms, after ${bytesReceived} bytes; the connection was closed ` +
        `(${call.record.method} ${call.record.path}); ${again}`,
      info,
    );
  }
  const secrets = tokenSecrets(token);
  const reason = safeLine(redact(failureText(error), secrets), MAX_DETAIL_LENGTH);
  return new AstroConnectionError(
    `the response body was cut off after ${bytesReceived} bytes (${reason}) (${call.record.method} ${call.record.path}); ${again}`,
    info,
    { cause: safeCause(error, secrets) },
  );
}
