/**
 * `npm run mock [-- --port 4010 --v1beta1 --host 127.0.0.1 --dynamic]`: starts the Astro API mock
 * (Prism serving the pinned v1 document, and with `--v1beta1` the Platform and IAM v1beta1 ones
 * too) behind one base URL laid out like the live API, prints it, and runs until Ctrl-C.
 */
import { parseArgs } from "node:util";
import { specs } from "../../generated/operations.js";
import { startAstroMock } from "../../src/mock/index.js";
import type { DocumentName } from "../../src/operations/manifest.js";
import { EXIT, runCli } from "../cli/run-cli.js";
import { PipelineError } from "../shared/errors.js";

export const DEFAULT_PORT = 4010;

function port(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new PipelineError(`${flag} must be a port number, got ${value}`);
  return n;
}

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: String(DEFAULT_PORT) },
      v1beta1: { type: "boolean", default: false },
      host: { type: "string", default: "127.0.0.1" },
      dynamic: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log("usage: npm run mock -- [--port 4010] [--v1beta1] [--host 127.0.0.1] [--dynamic]");
    return EXIT.ok;
  }
  const serve: DocumentName[] = values.v1beta1 ? ["v1", "platform", "iam"] : ["v1"];
  const mock = await startAstroMock<DocumentName>({
    serve,
    port: port(values.port, "--port"),
    host: values.host,
    dynamic: values.dynamic,
  }).catch((error: unknown) => {
    throw new PipelineError((error as Error).message);
  });

  const served = serve.map((name) => `${name} ${specs[name].revision}`).join(", ");
  const lines = serve.map((name) => `  ${name.padEnd(9)} ${mock.url}${new URL(specs[name].server).pathname}`);
  console.log(
    `Astro API mock: Prism serving the pinned documents (${served})\n\n` +
      `${lines.join("\n")}\n\n` +
      `  createAstroClient({ token: "any", baseUrl: "${mock.url}" })` +
      (values.v1beta1 ? `   // from "astro-api-client", or "astro-api-client/v1beta1"` : "") +
      `\n\nAny token is accepted. Ask for a declared error with the header \`Prefer: code=404\`, for\n` +
      `generated data with \`Prefer: dynamic=true\`. Ctrl-C to stop.`,
  );

  // Prism's processes do not keep this one alive (so that a program that forgets close() still
  // exits); waiting for Ctrl-C needs something that does.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  clearInterval(keepAlive);
  await mock.close();
  console.log(`\nmock stopped (${signal})`);
  return EXIT.ok;
});
