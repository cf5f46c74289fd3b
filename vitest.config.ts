import { defineConfig } from "vitest/config";
import { TEST_DEPTH } from "./test/helpers/depth.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The JSON report is what .ci/run counts; the default reporter is what people read. In a
    // terminal the default reporter shows a live summary; in CI (no TTY) one line per file.
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-results.json" },
    // What a test prints (console.log, its children's output) is shown only when it fails.
    silent: "passed-only",
    // Three files at a time on a 2-core machine (vitest's default is one fewer than the CPUs: one
    // worker here). Many files spend most of their time waiting on timers, servers and child
    // processes, so a third file fills the CPU they leave; `npm test`'s checks run beside them.
    maxWorkers: 3,
    // A worker process runs file after file without reloading the SDK and vitest for each (a
    // third of the suite's CPU went to that). What a file changes is its own to undo: servers,
    // process listeners, env and globals (vi.stubEnv and vi.stubGlobal are undone after each
    // test, below); a file that leaves one behind fails (test/setup/leaks.ts).
    isolate: false,
    pool: "forks",
    // Records process warnings and fails a test that emits one it does not take
    // (test/helpers/warnings.ts); scales fast-check's runs by ASTRO_TEST_DEPTH.
    setupFiles: ["test/setup/warnings.ts", "test/setup/fast-check.ts", "test/setup/leaks.ts"],
    // A deeper run (ASTRO_TEST_DEPTH) runs each property more times: it gets the time for it.
    testTimeout: 30_000 * TEST_DEPTH,
    // vi.stubEnv and vi.stubGlobal changes are undone after each test.
    unstubEnvs: true,
    unstubGlobals: true,
    // After-hooks run in the reverse of their order: the setup files' (test/setup/leaks.ts) after
    // the test file's own, which close what the file opened.
    sequence: { hooks: "stack" },
    hookTimeout: 60_000,
    // Prints once why the tests over Astronomer's real revisions were skipped, when they were.
    globalSetup: ["test/helpers/corpus-setup.ts"],
  },
});
