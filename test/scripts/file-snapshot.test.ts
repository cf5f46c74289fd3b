import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { takeSnapshot } from "../../scripts/drift/file-snapshot.js";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("takeSnapshot", () => {
  it("puts files and folders back byte for byte, removing what was not there", async () => {
    dir = await mkdtemp(join(tmpdir(), "snapshot-"));
    await mkdir(join(dir, "generated"));
    await writeFile(join(dir, "pins.json"), '{ "a": 1 }\n');
    await writeFile(join(dir, "generated", "a.ts"), "export const a = 1;\n");
    await writeFile(join(dir, "generated", "b.ts"), "export const b = 2;\n");
    const snapshot = await takeSnapshot(dir, ["pins.json", "CHANGELOG.md"], ["generated"]);

    await writeFile(join(dir, "pins.json"), "{}\n");
    await writeFile(join(dir, "CHANGELOG.md"), "# new\n");
    await writeFile(join(dir, "generated", "a.ts"), "export const a = 10;\n");
    await rm(join(dir, "generated", "b.ts"));
    await writeFile(join(dir, "generated", "c.ts"), "export const c = 3;\n");
    await snapshot.restore();

    expect(await readFile(join(dir, "pins.json"), "utf8")).toBe('{ "a": 1 }\n');
    expect((await readdir(dir)).sort()).toEqual(["generated", "pins.json"]);
    expect((await readdir(join(dir, "generated"))).sort()).toEqual(["a.ts", "b.ts"]);
    expect(await readFile(join(dir, "generated", "a.ts"), "utf8")).toBe("export const a = 1;\n");
    expect(await readFile(join(dir, "generated", "b.ts"), "utf8")).toBe("export const b = 2;\n");
  });
});
