/**
 * Says `message` through `process.emitWarning` where the runtime has it (Node, Bun, Deno), and
 * through `console.warn` elsewhere (browsers, edge workers). A warning listener that throws (or
 * `--throw-deprecation`) is not the SDK's to report: the call or client that warned goes on.
 */
export function emitProcessWarning(message: string, options: { code: string; type?: string }): void {
  const node = (globalThis as { process?: { emitWarning?: (message: string, options: object) => void } })
    .process;
  try {
    if (node?.emitWarning) node.emitWarning(message, options);
    else console.warn(message);
  } catch {
    // Nothing to report it to.
  }
}
