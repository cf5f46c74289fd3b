import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { promisify } from "node:util";
import { prismViolations, type PrismViolation } from "../../src/errors/prism-violations.js";

const run = promisify(execFile);

/** The violations Prism reported in a response's headers; an unreadable header fails the test. */
export function violations(headers: Headers | Record<string, string>): PrismViolation[] {
  const found = prismViolations(headers);
  if (typeof found === "string") throw new Error(`unreadable sl-violations header: ${found}`);
  return found ?? [];
}

/**
 * Whether a process is alive. Signal 0 tests existence; a zombie (dead, waiting to be reaped by
 * an init that reaps lazily) exists but is not alive.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return !existsSync("/proc/self/stat");
  }
}

/** PIDs of running Prism processes whose command line contains `marker` (e.g. a document path). */
export async function prismPids(marker: string): Promise<number[]> {
  try {
    const { stdout } = await run("pgrep", ["-f", `prism-cli.*${marker}`]);
    return stdout.split("\n").filter(Boolean).map(Number).filter(alive);
  } catch (error) {
    // pgrep exits 1 when nothing matches.
    if ((error as { code?: number }).code === 1) return [];
    throw error;
  }
}

/** Polls until `check` holds, failing after `timeoutMs` (a generous bound, not a timing assertion). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every process descending from `root`, from one `ps` listing. */
async function descendants(root: number): Promise<{ pid: number; args: string }[]> {
  const { stdout } = await run("ps", ["-eo", "pid=,ppid=,args="]);
  const rows = stdout
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const found: { pid: number; args: string }[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const row of rows)
      if (parents.has(row.ppid) && !parents.has(row.pid)) {
        parents.add(row.pid);
        found.push(row);
        grew = true;
      }
  }
  return found;
}

/**
 * Watches the process tree under `root` while it runs and collects the PIDs of the Prism
 * processes that appear in it, so that a test can check they are gone once `root` has exited
 * (when they could no longer be found through their parent).
 */
export function watchPrismDescendants(root: number): { stop(): Promise<number[]> } {
  const seen = new Set<number>();
  let stopped = false;
  const poll = (async () => {
    while (!stopped) {
      for (const p of await descendants(root)) if (p.args.includes("prism-cli")) seen.add(p.pid);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await poll;
      return [...seen];
    },
  };
}

/** A free loopback port (free when this returns; good enough for tests that need fixed ports). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What a finished program printed, how it ended, and the Prism processes seen under it. */
export interface ProgramRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** PIDs of the Prism processes that ran under it (to check they are gone). */
  prism: number[];
}

/** Runs a program to its end, watching for Prism processes under it. */
export async function runProgram(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<ProgramRun> {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  const watcher = watchPrismDescendants(child.pid!);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr, prism: await watcher.stop() };
}

/** A process's command line, or `""` when it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** PIDs of running Prism processes whose parent is `parent`. */
export async function prismChildren(parent: number): Promise<number[]> {
  try {
    const { stdout } = await run("pgrep", ["-P", String(parent), "-f", "prism-cli"]);
    return stdout.split("\n").filter(Boolean).map(Number).filter(alive);
  } catch (error) {
    if ((error as { code?: number }).code === 1) return [];
    throw error;
  }
}
