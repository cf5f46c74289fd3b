import { PipelineError } from "./errors.js";

/**
 * Runs a command's body: a `PipelineError` or a usage error is a message for a person (printed
 * alone, exit 1);
 * anything else is a bug and keeps its stack (exit 2).
 */
export async function runCli(main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    const usage = (error as NodeJS.ErrnoException | undefined)?.code?.startsWith("ERR_PARSE_ARGS") === true;
    if (error instanceof PipelineError || usage) {
      console.error(`error: ${(error as Error).message}`);
      process.exitCode = 1;
    } else {
      console.error(error);
      process.exitCode = 2;
    }
  }
}
