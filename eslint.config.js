// Lint: typescript-eslint's type-aware rules over every TypeScript file of the repository.
// `npm run lint` runs it; CONTRIBUTING.md's "Lint" section says what is checked and why.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    // generated/ is openapi-typescript's output (checked by `npm run generate -- --check`, not
    // hand-edited); bench/fixtures/ is a consumer of the built package with its own install.
    ignores: ["dist/", "coverage/", ".cache/", "generated/", "bench/fixtures/", "api-reference/"],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The TypeScript program of the root tsconfig (every source, bench/ included), as `tsc` sees it.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // The core of the issue, stated explicitly so a change of preset cannot drop them.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          // node:test's test()/describe() return promises that the runner itself awaits; the
          // examples use node:test so that they run without this repository's tooling.
          allowForKnownSafeCalls: [
            { from: "package", package: "node:test", name: ["test", "it", "describe", "suite"] },
          ],
        },
      ],
      "@typescript-eslint/no-misused-promises": "error",
      // A caught value or an AbortSignal's reason is passed on unchanged (callers compare it with
      // what they threw or aborted with); casting it to Error would only hide that. Literals and
      // other known non-Error values are still reported.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
      // `_`-prefixed names are the project's way to say "unused on purpose" (callback positions).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // Tests pass async functions where an API expects one returning a promise (token
      // functions, scheduled jobs, handlers) without needing an await inside.
      "@typescript-eslint/require-await": "off",
      // Tests destructure closures from helper factories (`const { defer } = cleanupAfterEach()`)
      // and hand methods to expect(); none of them use `this`.
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    // Type tests call what must not compile under @ts-expect-error; the checker types such an
    // expression as an error type, which the no-unsafe rules read as `any`.
    files: ["test/**/*.types.test.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
    },
  },
  {
    // Plain JavaScript (this file, the TypeDoc config and plugin) is not part of a TypeScript program.
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
