/**
 * Every test file: properties without their own `numRuns` run fast-check's default (100) times the
 * depth (test/helpers/depth.ts). vitest.config.ts gives tests time in proportion.
 */
import fc from "fast-check";
import { TEST_DEPTH, runs } from "../helpers/depth.js";

if (TEST_DEPTH > 1) fc.configureGlobal({ numRuns: runs(100) });
