import { AstroError } from "../../errors/error-classes.js";

/**
 * The Redis that shares this token's rate limits (`throttle.redis`) could not be used: unreachable
 * at the first call, lost while the call waited for its turn, or closed. The request was not sent.
 * The message and `url` never carry the Redis password.
 */
export class AstroRedisError extends AstroError {
  override name = "AstroRedisError";
  /** The Redis URL with its password replaced by `***` (or a description of the client given). */
  readonly url: string;

  constructor(message: string, url: string) {
    super(message);
    this.url = url;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), url: this.url };
  }
}
