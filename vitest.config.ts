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
    // Both cores (vitest's default is one fewer than the CPUs: one worker on a 2-core machine).
    // Many files spend most of their time waiting on timers, servers and child processes, so
    // two files side by side use the machine without slowing each other much.
    maxWorkers: 2,
    // Each file's own process, as vitest's default: files start servers, set globals and env.
    pool: "forks",
    // Records process warnings and fails a test that emits one it does not take
    // (test/helpers/warnings.ts); scales fast-check's runs by ASTRO_TEST_DEPTH.
    setupFiles: ["test/setup/warnings.ts", "test/setup/fast-check.ts"],
    // A deeper run (ASTRO_TEST_DEPTH) runs each property more times: it gets the time for it.
    testTimeout: 30_000 * TEST_DEPTH,
    // vi.stubEnv changes are undone after each test.
    unstubEnvs: true,
    hookTimeout: 60_000,
    // Prints once why the tests over Astronomer's real revisions were skipped, when they were.
    globalSetup: ["test/helpers/corpus-setup.ts"],
  },
});
