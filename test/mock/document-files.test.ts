/**
 * The mock's document lookup given files that are no documents (`documents: { v1: … }`, or what
 * `ASTRO_OPENAPI_DIR` holds): a FIFO or a device is a `SpecFileError` before anything is read,
 * where a read would wait forever (a FIFO nobody writes) or never end (`/dev/zero`).
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { specs } from "../../generated/specs.js";
import { locateDocument } from "../../src/mock/documents.js";
import { AstroError } from "../../src/errors/error-classes.js";
import { SpecFileError } from "../../src/mock/spec-files.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mock-documents-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe.skipIf(process.platform === "win32")("locateDocument", () => {
  it("refuses an explicit document that is a FIFO or a device, without reading it", async () => {
    const fifo = join(dir, "v1.yaml");
    execFileSync("mkfifo", [fifo]);
    for (const file of [fifo, "/dev/zero"]) {
      const error = await locateDocument("v1", { documents: { v1: file } }, dir).catch((e: unknown) => e);
      expect(error, file).toBeInstanceOf(SpecFileError);
      // Like every failure of the SDK's entries, an AstroError (`astro-api-client/mock` exports the class).
      expect(error, file).toBeInstanceOf(AstroError);
      expect((error as Error).message, file).toContain("not a regular file");
    }
  });

  it("refuses a FIFO where ASTRO_OPENAPI_DIR should hold the pinned document", async () => {
    // A root without the package's facts, so the lookup reaches the revisions folder.
    const revisions = join(dir, "revisions");
    const pinned = join(revisions, specs.v1.file);
    await mkdir(dirname(pinned), { recursive: true });
    execFileSync("mkfifo", [pinned]);
    const error = await locateDocument("v1", { env: { ASTRO_OPENAPI_DIR: revisions } }, dir).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpecFileError);
    expect((error as Error).message).toContain(`cannot read ${pinned}: not a regular file`);
  });
});
