/** Running a program to its end in the hygiene tests, whatever its exit code. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const exec = promisify(execFile);

/** What a finished command printed and how it ended. */
export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end without throwing on a non-zero exit. */
export async function runCommand(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Finished> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof code === "number" ? code : 1, stdout: stdout ?? "", stderr: stderr ?? "" };
  }
}
