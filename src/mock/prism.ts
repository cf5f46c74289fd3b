import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { AstroConfigError } from "../errors/error-classes.js";
import { AstroMockError } from "./mock-error.js";

/** How one Prism process serves its document. */
export type PrismMode =
  | {
      mode: "mock";
      /** Generate responses from the schemas instead of the examples. */
      dynamic?: boolean;
      /** Makes generated responses the same on every run (and for the same request). */
      seed?: string;
    }
  | { mode: "proxy"; /** The server Prism forwards to, validating both directions. */ upstream: string };

export type PrismOptions = PrismMode & {
  /** The OpenAPI document Prism serves: its text (already verified) and a name for messages. */
  document: { text: string; name: string };
  /** `0` (the default) lets the system pick a free port. */
  port?: number;
  host?: string;
  /** Give up when Prism has not said it is listening after this long (default 60 s). */
  startTimeoutMs?: number;
  /** Receives every line Prism prints. */
  onOutput?: (line: string) => void;
};

/** A running Prism process. */
export interface PrismServer {
  /** Its base URL, e.g. `http://127.0.0.1:4010` (Prism serves the document's paths at the root). */
  url: string;
  /** The PID of Prism itself (also the id of its process group). */
  pid: number;
  /** The last lines Prism printed, for error messages. */
  output(): string[];
  /** Stops it (the whole process group) and resolves when it has exited. */
  close(): Promise<void>;
}

/** Kept for messages; Prism prints one line per request, so only the tail matters. */
const OUTPUT_LINES = 40;
const CLOSE_GRACE_MS = 3_000;

/** The environment variable naming the folder of a Prism's document snapshot. */
const SNAPSHOT_ENV = "ASTRO_PRISM_SNAPSHOT_DIR";

/**
 * Runs in the Prism process before Prism itself:
 * - Prism exits when its stdin closes, which happens when the process that started it dies in
 *   any way, SIGKILL included; and on SIGTERM it exits (rather than dies), so that
 * - on exit it removes its document snapshot (Prism watches the file while it runs).
 * Then it hands the command line (`<entry> mock …`) to Prism's yargs (`process.argv.slice(2)`).
 */
const PRELUDE = [
  `const snapshot = process.env.${SNAPSHOT_ENV};`,
  `process.on("exit", () => { try { require("node:fs").rmSync(snapshot, { recursive: true, force: true }); } catch {} });`,
  `process.on("SIGTERM", () => process.exit(0));`,
  `process.stdin.on("end", () => process.exit(0)).on("error", () => process.exit(0)).resume();`,
  `require(process.argv[1]);`,
].join("\n");

/** The JavaScript entry of `@stoplight/prism-cli`, so that the PID we hold is Prism's own. */
export function prismEntry(): string {
  try {
    return createRequire(import.meta.url).resolve("@stoplight/prism-cli");
  } catch {
    // An optional peer dependency, like ajv, tar and ioredis: its absence is a configuration error.
    throw new AstroConfigError(
      "the Astro mock needs @stoplight/prism-cli 5, which is not installed: " +
        "npm install --save-dev @stoplight/prism-cli@5.14.2",
    );
  }
}

// ── Every Prism this process started, stopped whatever way this process ends ────────────────────

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/** Synchronous, so that it can run in an `exit` handler; each Prism exits on its own. */
function killAll(): void {
  for (const child of live) killGroup(child, "SIGTERM");
}

/**
 * On SIGINT/SIGTERM, kill every Prism synchronously. When nobody else handles the signal, do
 * what Node would have done without this handler: die of it.
 */
function onSignal(signal: NodeJS.Signals): void {
  killAll();
  if (process.listenerCount(signal) === 1) {
    uninstall();
    process.kill(process.pid, signal);
  }
}

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

function install(): void {
  if (live.size !== 1) return;
  process.on("exit", killAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.removeListener("exit", killAll);
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
}

function track(child: ChildProcess): void {
  live.add(child);
  install();
  child.once("exit", () => {
    live.delete(child);
    if (live.size === 0) uninstall();
  });
}

// ── Starting one ────────────────────────────────────────────────────────────────────────────────

function commandLine(options: PrismOptions, document: string): string[] {
  const args = [options.mode, document];
  if (options.mode === "proxy") args.push(options.upstream);
  // Each value joined to its option with `=`: as a separate argument, a value that starts with
  // `-` (a seed `--port=4000`, `--help`) is read by Prism's yargs as an option of its own.
  args.push(`--port=${options.port ?? 0}`, `--host=${options.host ?? "127.0.0.1"}`);
  // Single process, so that the PID is the server's; no log colours, so that lines can be parsed.
  args.push("--no-multiprocess");
  if (options.mode === "mock" && options.dynamic) args.push("--dynamic");
  if (options.mode === "mock" && options.seed !== undefined) args.push(`--seed=${options.seed}`);
  return args;
}

/**
 * Starts Prism and resolves once it is listening (and has answered one request).
 *
 * Prism reads its document from a private snapshot of the verified text, in a temporary folder
 * it removes when it exits: Prism watches its document and reloads (or exits) when the file
 * changes, so serving the file where it was found would let a rebuild of the package
 * (`dist/openapi/`) or an edit of a revisions folder restart a running mock, and serve bytes
 * that were never verified.
 */
export async function startPrism(options: PrismOptions): Promise<PrismServer> {
  const entry = prismEntry();
  const snapshotDir = await mkdtemp(join(tmpdir(), "astro-prism-"));
  const document = join(snapshotDir, `${basename(options.document.name, ".yaml")}.yaml`);
  await writeFile(document, options.document.text);
  const child = spawn(process.execPath, ["-e", PRELUDE, entry, ...commandLine(options, document)], {
    // Its own process group, so that close() can stop everything it might start.
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", [SNAPSHOT_ENV]: snapshotDir },
  });
  if (child.pid === undefined) {
    await new Promise((resolve) => child.once("error", resolve));
    await rm(snapshotDir, { recursive: true, force: true });
    throw new AstroMockError(`cannot start Prism (${process.execPath} ${entry})`);
  }
  const pid = child.pid;
  track(child);
  // Neither the process nor its pipes keep this process alive: a program that forgets close()
  // still exits, and the exit handler stops Prism.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr])
    if (stream instanceof Socket) stream.unref();

  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const listening = new Promise<string>((resolve, reject) => {
    const take = (line: string): void => {
      lines.push(line);
      if (lines.length > OUTPUT_LINES) lines.shift();
      options.onOutput?.(line);
      const match = /Prism is listening on (http:\/\/\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    };
    createInterface({ input: child.stdout }).on("line", take);
    createInterface({ input: child.stderr }).on("line", take);
    child.once("exit", (code, signal) =>
      reject(
        new AstroMockError(
          `Prism (${options.mode} ${options.document.name}) exited before listening ` +
            `(${signal ?? `code ${code}`}):\n${lines.join("\n")}`,
        ),
      ),
    );
  });

  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    // Prism removes its snapshot as it exits; not when it had to be killed outright.
    await rm(snapshotDir, { recursive: true, force: true });
  };

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AstroMockError(
            `Prism (${options.mode} ${options.document.name}) did not start within ${timeoutMs} ms:\n${lines.join("\n")}`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    const url = await Promise.race([listening, timeout]);
    // Listening is not yet answering: one request proves the server is up. A CORS preflight,
    // which Prism answers itself: a proxy would forward anything else upstream.
    const probe = fetch(`${url}/`, {
      method: "OPTIONS",
      headers: { origin: "http://127.0.0.1", "access-control-request-method": "GET" },
      signal: AbortSignal.timeout(timeoutMs),
    }).then((r) => r.arrayBuffer());
    await Promise.race([probe, timeout]);
    return { url, pid, output: () => [...lines], close };
  } catch (error) {
    await close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
