/**
 * An error the pipeline reports to a person: its message is complete on its own, so the CLI
 * prints it without a stack trace and exits non-zero.
 */
export class PipelineError extends Error {
  override name = "PipelineError";
}

/** A document that is unreadable, unparsable, or not valid OpenAPI. */
export class InvalidSpecError extends PipelineError {
  override name = "InvalidSpecError";
  constructor(
    readonly file: string,
    readonly problems: readonly { pointer: string; problem: string }[],
  ) {
    super(
      `${file} is not a valid OpenAPI document (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  ${file}#${p.pointer}: ${p.problem}`).join("\n"),
    );
  }
}
