/**
 * A DAGs folder holding symbolic links to a file or a folder outside it: the upload must not
 * carry what lies outside, nor an entry that would climb out of `dags/` when unpacked.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AstroConfigError } from "../../src/errors/error-classes.js";
import { packDirectory } from "../../src/workflows/pack.js";

const OUTSIDE_SECRET = "OUTSIDE-SECRET-a81c";
let root = "";
let dags = "";

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "redteam-pack-"));
  dags = join(root, "project", "dags");
  await mkdir(join(root, "private", "keys"), { recursive: true });
  await writeFile(join(root, "private", "id_rsa"), OUTSIDE_SECRET);
  await writeFile(join(root, "private", "keys", "k.pem"), OUTSIDE_SECRET);
  await mkdir(dags, { recursive: true });
  await writeFile(join(dags, "etl.py"), "from airflow import DAG\n");
  await symlink(join(root, "private", "id_rsa"), join(dags, "abs-file-link"));
  await symlink("../../private/id_rsa", join(dags, "rel-file-link"));
  await symlink(join(root, "private"), join(dags, "dir-link"));
  await symlink("../../private/keys", join(dags, "rel-dir-link"));
  await symlink("/", join(dags, "root-link"));
  await writeFile(join(dags, "..dots..py"), "x\n");
});
afterAll(() => rm(root, { recursive: true, force: true }));

interface Entry {
  path: string;
  type: string;
  linkpath: string | undefined;
  body: string;
}

function entries(bytes: Uint8Array): Entry[] {
  const found: Entry[] = [];
  const parser = new tar.Parser({
    onReadEntry: (entry) => {
      const record: Entry = { path: entry.path, type: entry.type, linkpath: entry.linkpath, body: "" };
      found.push(record);
      entry.on("data", (chunk: Buffer) => (record.body += chunk.toString("latin1")));
    },
  });
  parser.end(Buffer.from(gunzipSync(bytes)));
  return found;
}

describe("packing a folder with links that point outside it", () => {
  it("refuses the folder, naming the links, before anything is uploaded", async () => {
    const error = await packDirectory(dags, {}).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(AstroConfigError);
    const message = (error as Error).message;
    for (const name of ["abs-file-link", "rel-file-link", "dir-link", "rel-dir-link", "root-link"])
      expect(message).toContain(name);
    expect(message).not.toContain(OUTSIDE_SECRET);
  });

  it("packs the folder once those links are listed in .astro/deployignore: no byte from outside, no link out", async () => {
    const ignore = join(root, "project", ".astro");
    await mkdir(ignore, { recursive: true });
    await writeFile(join(ignore, "deployignore"), "dags/*link\n");
    await symlink("etl.py", join(dags, "inside-link.py"));
    try {
      const tarball = await packDirectory(dags, {});
      expect(Buffer.from(gunzipSync(tarball.bytes)).toString("latin1")).not.toContain(OUTSIDE_SECRET);
      const list = entries(tarball.bytes);
      const paths = list.map((e) => e.path);
      expect(paths).toContain("dags/etl.py");
      expect(paths).toContain("dags/..dots..py");
      // A link within the folder is kept as a link.
      expect(list.find((e) => e.path === "dags/inside-link.py")).toMatchObject({
        type: "SymbolicLink",
        linkpath: "etl.py",
      });
      for (const entry of list) {
        expect(entry.path === "dags" || entry.path.startsWith("dags/")).toBe(true);
        expect(entry.path.split("/")).not.toContain("..");
        expect(entry.body).not.toContain(OUTSIDE_SECRET);
      }
    } finally {
      await rm(ignore, { recursive: true, force: true });
      await rm(join(dags, "inside-link.py"));
    }
  });

  it("refuses a link out that sits in a subfolder and climbs with ../ spelled any way", async () => {
    const sub = join(dags, "sub");
    await mkdir(sub, { recursive: true });
    await symlink("../../x", join(sub, "climb"));
    await symlink("./../.././../x", join(sub, "climb2"));
    const ignore = join(root, "project", ".astro");
    await mkdir(ignore, { recursive: true });
    await writeFile(join(ignore, "deployignore"), "dags/*link\n");
    try {
      const error = await packDirectory(dags, {}).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(AstroConfigError);
      expect((error as Error).message).toContain("sub/climb");
      expect((error as Error).message).toContain("sub/climb2");
    } finally {
      await rm(ignore, { recursive: true, force: true });
      await rm(sub, { recursive: true, force: true });
    }
  });
});
