/**
 * #26 class 6: link checks at pack time resolve against the bundle root that exists after
 * unpacking (`dags/`), not the folder on disk. In a folder named `mydags`, `../mydags/x` stays
 * inside on disk but climbs out of `dags/` once unpacked on the Deployment.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AstroConfigError } from "../../src/errors/error-classes.js";
import { packDirectory } from "../../src/workflows/pack.js";
import { runs } from "../helpers/depth.js";

let root = "";
let folder = "";

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "redteam-bundle-"));
  folder = join(root, "mydags");
  await mkdir(join(folder, "sub"), { recursive: true });
  await writeFile(join(folder, "etl.py"), "from airflow import DAG\n");
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The symbolic links of a packed tarball: entry path and target. */
function links(bytes: Uint8Array): { path: string; linkpath: string }[] {
  const found: { path: string; linkpath: string }[] = [];
  const parser = new tar.Parser({
    onReadEntry: (entry) => {
      if (entry.type === "SymbolicLink") found.push({ path: entry.path, linkpath: entry.linkpath ?? "" });
      entry.resume();
    },
  });
  parser.end(Buffer.from(gunzipSync(bytes)));
  return found;
}

async function packWith(link: string, target: string): Promise<unknown> {
  const at = join(folder, link);
  await symlink(target, at);
  try {
    return await packDirectory(folder, {});
  } catch (error) {
    return error;
  } finally {
    await rm(at);
  }
}

describe("a link that stays in the folder on disk but not in the bundle", () => {
  it("is refused: ../mydags/etl.py in a folder named mydags", async () => {
    const outcome = await packWith("climb.py", "../mydags/etl.py");
    expect(outcome).toBeInstanceOf(AstroConfigError);
    expect((outcome as Error).message).toContain("climb.py");
  });

  it("is refused from a subfolder too: sub/../../mydags/etl.py", async () => {
    const outcome = await packWith("sub/climb.py", "../../mydags/etl.py");
    expect(outcome).toBeInstanceOf(AstroConfigError);
  });

  it("while links within the bundle are kept", async () => {
    const outcome = await packWith("sub/ok.py", "../etl.py");
    expect(outcome).not.toBeInstanceOf(Error);
  });

  it("every link the packer accepts resolves inside dags/ once unpacked", async () => {
    const segment = fc.constantFrom("..", ".", "mydags", "dags", "sub", "etl.py");
    const target = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join("/"));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("l.py", "sub/l.py"), target, async (link, to) => {
        const outcome = await packWith(link, to);
        if (outcome instanceof AstroConfigError) return;
        expect(outcome).not.toBeInstanceOf(Error);
        for (const entry of links((outcome as { bytes: Uint8Array }).bytes)) {
          const unpacked = posix.normalize(posix.join(posix.dirname(entry.path), entry.linkpath));
          expect(unpacked === "dags" || unpacked.startsWith("dags/")).toBe(true);
        }
      }),
      { numRuns: runs(40) },
    );
  });
});
