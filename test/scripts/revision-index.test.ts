/**
 * A hostile `index.json` in a revision folder (`specs:check` / `specs:update --from DIR`, or
 * `ASTRO_OPENAPI_DIR`): whatever it lists, the newest revision is read from a regular file inside
 * the folder, or the command stops with a `PipelineError` (a `SpecFileError` for a file that is no
 * document: a FIFO, one too large) that names the entry. Real files in a
 * temporary folder.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newestInFolder } from "../../scripts/drift/revision-source.js";
import { PipelineError } from "../../scripts/shared/errors.js";
import { MAX_DOCUMENT_BYTES, sha256, SpecFileError } from "../../src/mock/spec-files.js";
import { runs } from "../helpers/depth.js";

const DOCUMENT = "openapi: 3.0.3\ninfo: {title: t, version: v1.0}\npaths: {}\n";

let base: string;
/** The revision folder (`<base>/revisions`); `<base>/outside.yaml` is a document outside it. */
let folder: string;
let outside: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "revision-index-"));
  folder = join(base, "revisions");
  outside = join(base, "outside.yaml");
  await mkdir(join(folder, "v1", "v1.0"), { recursive: true });
  await writeFile(outside, DOCUMENT);
});
afterEach(() => rm(base, { recursive: true, force: true }));

async function writeIndex(revisions: unknown): Promise<void> {
  await writeFile(join(folder, "index.json"), JSON.stringify({ revisions }));
}

/** What `newestInFolder` gives for v1 (in any minor), or the error it throws. */
function newest(): Promise<unknown> {
  return newestInFolder(folder, "v1").then(
    (revision) => revision,
    (error: unknown) => error,
  );
}

describe("a revision folder's index.json", () => {
  it("reads a listed document inside the folder", async () => {
    await writeFile(join(folder, "v1/v1.0/2026-07-23.yaml"), DOCUMENT);
    await writeIndex({ v1: [{ file: "v1/v1.0/2026-07-23.yaml", sha256: sha256(DOCUMENT) }] });
    expect(await newest()).toMatchObject({ revision: "2026-07-23", text: DOCUMENT });
  });

  it("refuses a path that leaves the folder, even with the right hash", async () => {
    for (const file of [
      "../outside.yaml",
      "v1/v1.0/../../../outside.yaml",
      outside,
      "v1\\..\\..\\..\\outside.yaml",
    ]) {
      await writeIndex({ v1: [{ file, sha256: sha256(DOCUMENT) }] });
      const error = await newest();
      expect(error, file).toBeInstanceOf(PipelineError);
      expect((error as Error).message, file).toContain("leaves the folder");
    }
  });

  it("refuses a link out of the folder, even with the right hash", async () => {
    await symlink(outside, join(folder, "v1/v1.0/2026-07-23.yaml"));
    await symlink(base, join(folder, "v1/v1.1"));
    for (const file of ["v1/v1.0/2026-07-23.yaml", "v1/v1.1/outside.yaml"]) {
      await writeIndex({ v1: [{ file, sha256: sha256(DOCUMENT) }] });
      const error = await newest();
      expect(error, file).toBeInstanceOf(PipelineError);
      expect((error as Error).message, file).toContain("outside the folder");
    }
  });

  it.skipIf(process.platform === "win32")("refuses a FIFO, which a read would wait on forever", async () => {
    const fifo = join(folder, "v1/v1.0/2026-07-23.yaml");
    execFileSync("mkfifo", [fifo]);
    await writeIndex({ v1: [{ file: "v1/v1.0/2026-07-23.yaml", sha256: sha256(DOCUMENT) }] });
    const error = await newest();
    expect(error).toBeInstanceOf(SpecFileError);
    expect((error as Error).message).toContain("not a regular file");
  });

  it("refuses a file larger than any document, without reading it", async () => {
    const huge = join(folder, "v1/v1.0/2026-07-23.yaml");
    await writeFile(huge, "");
    await truncate(huge, MAX_DOCUMENT_BYTES + 1); // sparse: nothing is written
    await writeIndex({ v1: [{ file: "v1/v1.0/2026-07-23.yaml", sha256: sha256(DOCUMENT) }] });
    const error = await newest();
    expect(error).toBeInstanceOf(SpecFileError);
    expect((error as Error).message).toContain(`${MAX_DOCUMENT_BYTES + 1} bytes`);
  });

  it("answers any JSON it holds with a revision or a PipelineError", async () => {
    await writeFile(join(folder, "v1/v1.0/2026-07-23.yaml"), DOCUMENT);
    const good = { file: "v1/v1.0/2026-07-23.yaml", sha256: sha256(DOCUMENT) };
    const entry = fc.oneof(
      fc.constant(good),
      fc.jsonValue(),
      fc.record({ file: fc.jsonValue(), sha256: fc.jsonValue() }, { requiredKeys: [] }),
      fc.record({ file: fc.constantFrom("v1/v1.0/2026-07-23.yaml", "..", "/", ""), sha256: fc.string() }),
    );
    const revisions = fc.oneof(
      fc.jsonValue(),
      fc.record({ v1: fc.oneof(fc.array(entry, { maxLength: 3 }), fc.jsonValue()) }),
      fc.constant({ constructor: [good] }),
    );
    await fc.assert(
      fc.asyncProperty(revisions, async (value) => {
        await writeIndex(value);
        const result = await newest();
        if (result instanceof Error) expect(result).toBeInstanceOf(PipelineError);
        else expect(result).toMatchObject({ file: good.file, text: DOCUMENT });
      }),
      { numRuns: runs(150) },
    );
  });
});
