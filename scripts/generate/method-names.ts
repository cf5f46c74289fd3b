import { methodNameOf } from "../../src/operations/manifest.js";
import { WORKFLOW_METHODS } from "../../src/workflows/lazy.js";
import { PipelineError } from "../shared/errors.js";

/**
 * A method name the generated types can declare bare and the client can assign: an ASCII
 * JavaScript identifier. Anything else would be written into `generated/<api>-operations.ts` as
 * source text (an operationId `a: 1 } run(); interface Z { b` is code), so it is refused.
 */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Names an operation's method may not take: the client's own members (`paginate`, the lifecycle,
 * the workflows), which the operation would replace or be replaced by; `then`, which makes every
 * client a thenable that `await` would call; and `Object.prototype`'s members (`__proto__` would
 * set the client's prototype instead of adding a method, `toString` would send a request when a
 * client is printed).
 */
const TAKEN = new Set<string>([
  "paginate",
  "stats",
  "close",
  "then",
  ...WORKFLOW_METHODS,
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/** The client method of an operation, or a `PipelineError` naming the operationId that cannot be one. */
export function checkedMethodName(api: string, where: string, operationId: string): string {
  const name = methodNameOf({ operationId });
  if (!IDENTIFIER.test(name))
    throw new PipelineError(
      `${api}: ${where} has operationId ${JSON.stringify(operationId)}, which is not a JavaScript identifier; ` +
        "the client names a method after it",
    );
  if (TAKEN.has(name))
    throw new PipelineError(
      `${api}: ${where} has operationId ${JSON.stringify(operationId)}, whose method ${name}() the client ` +
        "already has (or that JavaScript gives every object)",
    );
  return name;
}
