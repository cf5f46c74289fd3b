/**
 * `npm run drift:changeset -- --update-log FILE | --bump major|minor|patch [--root DIR]`: after
 * `npm run specs:update` moved the pins, records the change for the next release as a changeset
 * (`.changeset/astro-api-<revisions>.md`), so the spec-drift pull request carries its own semver
 * level and CHANGELOG.md entry. The level is `--bump`, or the one `specs:update` printed (its line
 * "semver bump the package needs: X", read from `--update-log`); the revisions are read from the
 * committed and the updated openapi/pins.json.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";

const LEVELS = ["patch", "minor", "major"] as const;
type Level = (typeof LEVELS)[number];
type Pins = Record<string, { revision?: unknown }>;

const { values } = parseArgs({
  options: {
    root: { type: "string", default: "." },
    bump: { type: "string" },
    "update-log": { type: "string" },
  },
});
const root = resolve(values.root);

/** The level given, or the last one `specs:update` printed. */
async function level(): Promise<Level> {
  let text = values.bump;
  if (text === undefined && values["update-log"] !== undefined) {
    const log = await readFile(values["update-log"], "utf8");
    text = [...log.matchAll(/semver bump the package needs: (\w+)/g)].at(-1)?.[1];
  }
  if (text === undefined)
    throw new Error("give --bump major|minor|patch, or --update-log with specs:update's output");
  if (!(LEVELS as readonly string[]).includes(text))
    throw new Error(`not a semver level: ${JSON.stringify(text)}`);
  return text as Level;
}

function revisions(pins: Pins): Map<string, string> {
  return new Map(Object.entries(pins).map(([api, pin]) => [api, String(pin.revision)]));
}

const bump = await level();
const { stdout: committed } = await promisify(execFile)("git", ["show", "HEAD:openapi/pins.json"], {
  cwd: root,
});
const before = revisions(JSON.parse(committed) as Pins);
const after = revisions(JSON.parse(await readFile(join(root, "openapi", "pins.json"), "utf8")) as Pins);
const moved = [...after].filter(([api, revision]) => before.get(api) !== revision);
if (moved.length === 0)
  throw new Error("openapi/pins.json does not differ from the committed one: nothing to record");

const lines = moved.map(([api, revision]) => `- ${api}: ${before.get(api) ?? "(new)"} → ${revision}`);
const name = `astro-api-${moved.map(([api, revision]) => `${api}-${revision}`).join("-")}`.replace(
  /[^\w.-]+/g,
  "-",
);
const file = join(root, ".changeset", `${name}.md`);
await mkdir(join(root, ".changeset"), { recursive: true });
await writeFile(
  file,
  `---\n"astro-api-client": ${bump}\n---\n\n` +
    `Regenerated from newer Astro API documents; see API-CHANGELOG.md for every change.\n\n${lines.join("\n")}\n`,
);
console.log(`${file}: ${bump}`);
