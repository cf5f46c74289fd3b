import { isMissingModule } from "../internal/unbundled-import.js";
import { AstroConfigError } from "../errors/error-classes.js";

/** Loads an optional peer dependency; replaceable in tests to simulate a missing package. */
export type ModuleLoader = () => Promise<unknown>;

/**
 * Loads `name` with `load`, or explains how to install it: the workflows' packages (tar, the
 * ignore-file matcher) are optional peers, needed only by the calls that use them.
 */
export async function loadOptional(
  name: string,
  range: string,
  why: string,
  load: ModuleLoader,
): Promise<unknown> {
  try {
    return await load();
  } catch (error) {
    const reason = isMissingModule(error)
      ? "it is not installed"
      : `loading it failed (${(error as Error)?.message ?? String(error)})`;
    throw new AstroConfigError(
      `${why} needs the ${name} package, but ${reason}: run \`npm install ${name}@${range}\``,
    );
  }
}
