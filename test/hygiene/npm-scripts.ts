/**
 * What the workflows may call: the npm scripts of package.json, and whether the test suite runs
 * each of them (from `npm test`, or by name or by its script file in a test under test/).
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import ts from "typescript";

/** The fields of package.json the hygiene tests read. */
export interface Manifest {
  version: string;
  scripts: Record<string, string>;
  engines?: { node?: string };
}

export async function readManifest(root: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(root, "package.json"), "utf8")) as Manifest;
}

/**
 * The scripts a command line runs through npm: `npm run X`, `npm run --silent X`,
 * `npm run-script X`, and `npm test` (which is `npm run test`).
 */
export function npmRunTargets(command: string): string[] {
  const targets: string[] = [];
  for (const match of command.matchAll(
    /\bnpm\s+(?:run|run-script)\s+(?:--?[\w-]+(?:=\S+)?\s+)*([\w:.-]+)/g,
  )) {
    targets.push(match[1]!);
  }
  for (const _ of command.matchAll(/\bnpm\s+(?:test|t)(?=\s|$|;|&)/g)) targets.push("test");
  return targets;
}

/** Every script `start` runs, itself included, following `npm run` through the scripts. */
export function reachableFrom(scripts: Record<string, string>, start: string): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    const body = scripts[name];
    if (seen.has(name) || body === undefined) continue;
    seen.add(name);
    queue.push(...npmRunTargets(body));
  }
  return seen;
}

/** The string literals of every test file under `dir` (`*.test.ts`), in source order, by path relative to `root`. */
export async function testStrings(root: string, dir: string): Promise<Map<string, string[]>> {
  const strings = new Map<string, string[]>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".test.ts")) continue;
    const path = join(entry.parentPath, entry.name);
    strings.set(relative(root, path), stringLiterals(path, await readFile(path, "utf8")));
  }
  return strings;
}

/** Only what the code says counts: a comment naming `npm run x` runs nothing. */
function stringLiterals(fileName: string, text: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest));
  return found;
}

/**
 * How the suite runs `name`, or undefined when it does not: from the `test` script; by name in a
 * test, as an argument list (`["run", "--silent", "NAME", ...]`) or one string (`"npm run NAME"`);
 * or, for a `tsx FILE` script, a test that names FILE (`join(ROOT, "scripts", "FILE.ts")`).
 */
export function howExercised(
  name: string,
  scripts: Record<string, string>,
  tests: Map<string, string[]>,
): string | undefined {
  if (reachableFrom(scripts, "test").has(name)) return "npm test";
  for (const [path, strings] of tests) {
    for (let i = 0; i < strings.length; i++) {
      if (npmRunTargets(strings[i]!).includes(name)) return path;
      if (strings[i] !== "run") continue;
      let next = i + 1;
      while (strings[next]?.startsWith("-")) next++;
      if (strings[next] === name) return path;
    }
  }
  const file = /^tsx\s+(\S+\.ts)\b/.exec(scripts[name] ?? "")?.[1];
  if (file) {
    for (const [path, strings] of tests) if (strings.includes(basename(file))) return path;
  }
  return undefined;
}
