/**
 * How each runtime runs the scenario bundle and hands back its result (one JSON line).
 * Node, Bun and Deno run a script (one spawn each); workerd runs a module worker through
 * Miniflare; the Vercel Edge runtime runs a fetch handler in its VM, in this process.
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ScenarioResult } from "./scenario.js";
import { ROOT, bundle, type Bundle } from "./bundle.js";

export interface Target {
  /** The fake's base URL, the token it accepts, its organization. */
  baseUrl: string;
  token: string;
  organizationId: string;
}

export type RuntimeName = "node" | "bun" | "deno" | "workerd" | "edge-runtime";

const SCENARIO = "./scenario.ts";

/** The script of Node, Bun and Deno: arguments in, one JSON line out. */
const SCRIPT = `
import { runScenario } from "${SCENARIO}";
const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
console.log(JSON.stringify(await runScenario(args[0], args[1], args[2])));
`;

/** The worker of workerd and the Edge runtime: the target in the query, the result as JSON. */
const HANDLER = `
import { runScenario } from "${SCENARIO}";
async function handle(request) {
  const query = new URL(request.url).searchParams;
  const result = await runScenario(query.get("baseUrl"), query.get("token"), query.get("organizationId"));
  return new Response(JSON.stringify(result), { headers: { "content-type": "application/json" } });
}
`;

function run(command: string, args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${command} exited with ${code ?? signal}: ${err.slice(0, 2000)}`));
    });
  });
}

function lastJsonLine(out: string): ScenarioResult {
  const line = out.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as ScenarioResult;
}

function query(target: Target): string {
  return new URLSearchParams({ ...target }).toString();
}

const BIN = (name: string) => join(ROOT, "node_modules", ".bin", name);

/** Bundles the scenario for `runtime` (what the runtime's users would ship). */
export async function scenarioBundle(runtime: RuntimeName): Promise<Bundle> {
  switch (runtime) {
    case "node":
      return bundle(SCRIPT, { platform: "node", format: "esm" });
    case "bun":
    case "deno":
      return bundle(SCRIPT, { platform: "neutral", format: "esm" });
    case "workerd":
      return bundle(`${HANDLER}\nexport default { fetch: handle };`, { platform: "browser", format: "esm" });
    case "edge-runtime":
      return bundle(
        `${HANDLER}\naddEventListener("fetch", (event) => event.respondWith(handle(event.request)));`,
        {
          platform: "browser",
          format: "iife",
        },
      );
  }
}

/** Runs the bundled scenario on `runtime` against `target`; `dir` holds the files it needs. */
export async function runOn(
  runtime: RuntimeName,
  code: string,
  target: Target,
  dir: string,
  timeoutMs: number,
): Promise<ScenarioResult> {
  const args = [target.baseUrl, target.token, target.organizationId];
  const file = join(dir, `scenario-${runtime}.mjs`);
  switch (runtime) {
    case "node":
      await writeFile(file, code);
      return lastJsonLine(await run(process.execPath, [file, ...args], timeoutMs));
    case "bun":
      await writeFile(file, code);
      return lastJsonLine(await run(BIN("bun"), ["run", file, ...args], timeoutMs));
    case "deno":
      await writeFile(file, code);
      // Only the network, and only loopback: the SDK needs no other permission.
      return lastJsonLine(
        await run(BIN("deno"), ["run", "--no-prompt", "--allow-net=127.0.0.1", file, ...args], timeoutMs),
      );
    case "workerd": {
      const { Miniflare } = await import("miniflare");
      // The module listed by hand: Miniflare refuses to guess the modules of a script holding an
      // `import(name)` (the SDK's optional peers), which wrangler's bundle would hold as well.
      const worker = new Miniflare({
        modules: [{ type: "ESModule", path: "worker.mjs", contents: code }],
        compatibilityDate: "2025-01-01",
      });
      try {
        const response = await worker.dispatchFetch(`http://worker.local/?${query(target)}`);
        const text = await response.text();
        if (!response.ok) throw new Error(`workerd answered ${response.status}: ${text.slice(0, 2000)}`);
        return JSON.parse(text) as ScenarioResult;
      } finally {
        await worker.dispose();
      }
    }
    case "edge-runtime": {
      const { EdgeRuntime } = await import("edge-runtime");
      const edge = new EdgeRuntime({ initialCode: code });
      const response = await edge.dispatchFetch(`http://edge.local/?${query(target)}`);
      return (await response.json()) as ScenarioResult;
    }
  }
}
