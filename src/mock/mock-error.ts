import { AstroError } from "../errors/error-classes.js";

/**
 * The Astro mock could not start a Prism server: Prism exited before listening (a port taken, a
 * document it refused), or it did not answer within `startTimeoutMs`. The message carries
 * Prism's last lines of output. (A missing `@stoplight/prism-cli` is an `AstroConfigError`, as
 * for every optional peer dependency.)
 */
export class AstroMockError extends AstroError {
  override name = "AstroMockError";
}
