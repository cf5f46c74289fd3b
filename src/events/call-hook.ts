/**
 * Calls one of the caller's hooks (`onEvent`, a logger method, `onProgress`) so that its failure
 * never becomes the SDK's: `onFailure` is given what it threw, or what the promise it returned
 * rejected with (that promise is never awaited, and never left to reject unhandled, which ends a
 * Node process by default). Returns whether the hook returned without throwing.
 */
export function callHook(run: () => unknown, onFailure: (error: unknown) => void): boolean {
  try {
    // Hooks are typed to return nothing, but an async one returns a promise.
    const result = run() as { then?: unknown } | null | undefined;
    if (typeof result?.then === "function") (result as PromiseLike<unknown>).then(undefined, onFailure);
    return true;
  } catch (error) {
    onFailure(error);
    return false;
  }
}

/** `onFailure` for a hook whose failure is not reported (it has nowhere to go but the hook). */
export const ignoreFailure = (): void => undefined;
