import { cp, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPins } from "../../scripts/openapi/pins.js";
import { sha256 } from "../../src/mock/spec-files.js";
import { newestRevision, selectApis } from "../../scripts/drift/revision-source.js";
import { cleanupAfterEach } from "../helpers/cleanup.js";
import { editedRevision } from "../helpers/pinned-state.js";
import { NO_CORPUS, REVISIONS_DIR, revisionNamed } from "../helpers/revisions.js";

const { newRoot } = cleanupAfterEach();
const env = { ASTRO_OPENAPI_DIR: REVISIONS_DIR };

// Corpus tests: they run the drift tools over Astronomer's real revisions.
describe.skipIf(NO_CORPUS)("newestRevision", () => {
  it("takes the newest revision a folder's index.json lists, checking its hash", async () => {
    const root = await newRoot();
    const pins = await readPins(root);
    const newest = await newestRevision(root, "iam", pins.iam, REVISIONS_DIR, { env });
    expect(newest).toMatchObject({
      revision: "2024-07-31",
      file: "iam/v1beta1/2024-07-31.yaml",
      sha256: pins.iam.sha256,
    });

    const folder = join(root, "revisions");
    await mkdir(join(folder, "iam", "v1beta1"), { recursive: true });
    await cp(
      join(REVISIONS_DIR, "iam", "v1beta1", "2024-07-31.yaml"),
      join(folder, "iam", "v1beta1", "2024-07-31.yaml"),
    );
    await writeFile(
      join(folder, "index.json"),
      JSON.stringify({
        revisions: { iam: [{ file: "iam/v1beta1/2024-07-31.yaml", sha256: "0".repeat(64) }] },
      }),
    );
    await expect(newestRevision(root, "iam", pins.iam, folder, { env })).rejects.toThrow(
      /2024-07-31\.yaml has sha256 5e866c.*, but .*index\.json lists 0000/,
    );
  });

  it("renames a file whose name a revisions folder already uses for another document", async () => {
    // resolveSpec would find the real 2024-07-31 first and stop on its hash.
    const root = await newRoot();
    const pins = await readPins(root);
    const text = editedRevision("platform", "2024-07-31", (doc) => (doc.info.version = "edited"));
    await mkdir(join(root, "incoming"));
    await writeFile(join(root, "incoming", "2024-07-31.yaml"), text);
    const revision = await newestRevision(
      root,
      "platform",
      pins.platform,
      join(root, "incoming", "2024-07-31.yaml"),
      { env },
    );
    const suffix = sha256(text).slice(0, 12);
    expect(revision).toMatchObject({
      revision: `2024-07-31.${suffix}`,
      file: `platform/v1beta1/2024-07-31.${suffix}.yaml`,
    });
    // The real file keeps its own name.
    const real = await newestRevision(
      root,
      "platform",
      pins.platform,
      join(REVISIONS_DIR, revisionNamed("platform", "2024-07-31").file),
      { env },
    );
    expect(real.file).toBe("platform/v1beta1/2024-07-31.yaml");
  });
});

// Corpus tests: they run the drift tools over Astronomer's real revisions.
describe.skipIf(NO_CORPUS)("selectApis", () => {
  it("takes --api, else the API a single file describes, else both", async () => {
    expect(await selectApis("iam", undefined)).toEqual(["iam"]);
    await expect(selectApis("billing", undefined)).rejects.toThrow(
      '--api must be one of v1, platform, iam, not "billing"',
    );
    expect(await selectApis(undefined, join(REVISIONS_DIR, revisionNamed("iam", "2024-04-10").file))).toEqual(
      ["iam"],
    );
    expect(await selectApis(undefined, join(REVISIONS_DIR, revisionNamed("v1", "2026-07-23").file))).toEqual([
      "v1",
    ]);
    expect(await selectApis(undefined, REVISIONS_DIR)).toEqual(["v1", "platform", "iam"]);
    expect(await selectApis(undefined, "https://api.example.test/spec")).toEqual(["v1", "platform", "iam"]);
  });
});
