/**
 * `npm run mock [-- --platform-port 4010 --iam-port 4011 --host 127.0.0.1 --dynamic]`: starts the
 * Astro API mock (one Prism per API, serving the pinned documents), prints the two base URLs, and
 * runs until Ctrl-C.
 */
import { parseArgs } from "node:util";
import { specs } from "../../generated/operations.js";
import { startAstroMock } from "../../src/mock/index.js";
import { EXIT, runCli } from "../cli/run-cli.js";
import { PipelineError } from "../shared/errors.js";

export const DEFAULT_PORTS = { platform: 4010, iam: 4011 } as const;

function port(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new PipelineError(`${flag} must be a port number, got ${value}`);
  return n;
}

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      "platform-port": { type: "string", default: String(DEFAULT_PORTS.platform) },
      "iam-port": { type: "string", default: String(DEFAULT_PORTS.iam) },
      host: { type: "string", default: "127.0.0.1" },
      dynamic: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(
      "usage: npm run mock -- [--platform-port 4010] [--iam-port 4011] [--host 127.0.0.1] [--dynamic]",
    );
    return EXIT.ok;
  }
  const mock = await startAstroMock({
    ports: {
      platform: port(values["platform-port"], "--platform-port"),
      iam: port(values["iam-port"], "--iam-port"),
    },
    host: values.host,
    dynamic: values.dynamic,
  }).catch((error: unknown) => {
    throw new PipelineError((error as Error).message);
  });

  const { platform, iam } = mock.urls;
  console.log(
    `Astro API mock: Prism serving the pinned documents ` +
      `(platform ${specs.platform.revision}, iam ${specs.iam.revision})\n\n` +
      `  platform  ${platform}\n` +
      `  iam       ${iam}\n\n` +
      `  createAstroClient({ token: "any", urls: { platform: "${platform}", iam: "${iam}" } })\n\n` +
      `Any token is accepted. Ask for a declared error with the header \`Prefer: code=404\`, for\n` +
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
