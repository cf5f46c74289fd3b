/**
 * Loading a part of the SDK itself at its first use (`import("./module.js")`): the workflows and
 * the Redis limiter. Node then parses them only in a process that uses them, and a bundler with
 * code splitting puts them in a chunk of their own that an app loads at its first such call.
 */

/**
 * `load` once, on first use, shared by every use after; a load that failed (a chunk a server
 * could not deliver) is tried again by the next use instead of failing it for good.
 */
export function lazyModule<M>(load: () => Promise<M>): () => Promise<M> {
  let loading: Promise<M> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
