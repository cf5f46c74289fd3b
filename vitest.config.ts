import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The JSON report is what .ci/run counts; the default reporter is what people read.
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-results.json" },
    testTimeout: 30_000,
    // vi.stubEnv changes are undone after each test.
    unstubEnvs: true,
    hookTimeout: 60_000,
    // Prints once why the tests over Astronomer's real revisions were skipped, when they were.
    globalSetup: ["test/helpers/corpus-setup.ts"],
  },
});
