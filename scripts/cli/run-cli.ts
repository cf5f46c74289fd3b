import { SpecFileError } from "../../src/mock/spec-files.js";
import { PipelineError } from "../shared/errors.js";

/**
 * The exit codes of every command in scripts/bin/:
 * - 0: done, and nothing to report as wrong;
 * - 1: the command's answer is "no" (stale output, a pin behind, a mismatch), or a problem the
 *   message explains to a person (bad arguments, a missing file, an invalid document, an API error);
 * - 2: a bug: anything else, printed with its stack.
 */
export const EXIT = { ok: 0, failed: 1, bug: 2 } as const;

/** An error class whose messages are written for a person (and safe to print). */
type MessageClass = abstract new (...args: never[]) => Error;

export interface CliOptions {
  /**
   * More error classes whose message is printed alone: a command that uses the SDK passes
   * `AstroError` (its messages never carry the token). Not imported here, so that the generator
   * does not load the SDK, which loads the generator's own output.
   */
  messages?: readonly MessageClass[];
}

/**
 * Whether an error is a message for a person rather than a bug: the scripts' own errors, the
 * document lookup's, `parseArgs`' usage errors, and those of `options.messages`.
 */
function isForAPerson(error: unknown, options: CliOptions): error is Error {
  const usage = (error as NodeJS.ErrnoException | undefined)?.code?.startsWith("ERR_PARSE_ARGS") === true;
  return (
    usage ||
    error instanceof PipelineError ||
    error instanceof SpecFileError ||
    (options.messages ?? []).some((type) => error instanceof type)
  );
}

/** Runs a command's body and sets the process's exit code from its result or its failure, as `EXIT` says. */
export async function runCli(main: () => Promise<number>, options: CliOptions = {}): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (isForAPerson(error, options)) {
      console.error(`error: ${error.message}`);
      process.exitCode = EXIT.failed;
    } else {
      console.error(error);
      process.exitCode = EXIT.bug;
    }
  }
}
