import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { killOnExit } from "./kill-on-exit.js";

/** A real `redis-server` from PATH on a free loopback port, without persistence. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, with the password when there is one. */
  url: string;
  port: number;
  /** SIGKILL: the server dies at once and, without persistence, forgets everything. */
  kill(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  restart(): Promise<void>;
  /** Stops it for good. */
  stop(): Promise<void>;
}

const INSTALL_HINT =
  "redis-server is not on PATH: the Redis tests start their own. Install it " +
  "(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis)";

/** Fails with an install hint when redis-server is missing. */
export function assertRedisServer(): void {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) throw new Error(INSTALL_HINT);
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function launch(port: number, password: string | undefined): Promise<ChildProcess> {
  const args = [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--save", "",
    "--appendonly", "no",
    "--dir", tmpdir(),
    "--logfile", "",
    ...(password ? ["--requirepass", password] : []),
  ]; // prettier-ignore
  return new Promise((resolve, reject) => {
    const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    killOnExit(child);
    let output = "";
    const timer = setTimeout(
      () => fail(new Error(`redis-server did not start within 10 s:\n${output}`)),
      10_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    child.once("error", (error: NodeJS.ErrnoException) =>
      fail(error.code === "ENOENT" ? new Error(INSTALL_HINT) : error),
    );
    // Exited before it was ready (a port taken, a bad argument): its output says why.
    const early = (code: number | null) => fail(new Error(`redis-server exited with ${code}:\n${output}`));
    child.once("exit", early);
    let ready = false;
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (!ready && output.includes("Ready to accept connections")) {
        ready = true;
        clearTimeout(timer);
        child.off("exit", early);
        resolve(child);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
  });
}

function exited(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

/** Starts a redis-server for a test; stop it in `afterAll`. */
export async function startRedisServer(options: { password?: string } = {}): Promise<RedisServer> {
  assertRedisServer();
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port, options.password);
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : "";
  return {
    url: `redis://${auth}127.0.0.1:${port}`,
    port,
    kill: async () => {
      if (child) await exited(child, "SIGKILL");
      child = undefined;
    },
    restart: async () => {
      if (child) await exited(child, "SIGKILL");
      child = await launch(port, options.password);
    },
    stop: async () => {
      if (child) await exited(child, "SIGTERM");
      child = undefined;
    },
  };
}

/** Polls `check` until it holds; fails after `timeoutMs` (a bound for loaded machines, not a timing claim). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
