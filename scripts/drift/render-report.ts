import type { ApiChange } from "./api-change.js";
import { compareOperationKeys } from "../openapi/operations.js";
import type { SpecDiff } from "./diff-document.js";
import { semverBump } from "./semver-bump.js";

/** A diff with the facts that name it. */
export interface DiffReport {
  /** `platform` or `iam`, when known. */
  api?: string;
  /** Revision labels, e.g. `2024-07-10` and `2024-07-31`. */
  from: string;
  to: string;
  diff: SpecDiff;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function title(report: DiffReport): string {
  return `${report.api ? `${report.api} ` : ""}${report.from} → ${report.to}`;
}

/** One sentence: how many changes, how many break, how many documentation edits, and the semver bump. */
export function summary(report: DiffReport): string {
  const { changes, documentationEdits } = report.diff;
  const breaking = changes.filter((c) => c.breaking).length;
  return (
    `${plural(changes.length, "API change")} (${breaking === 0 ? "none" : breaking} breaking), ` +
    `${plural(documentationEdits, "documentation edit")} (not API changes). Semver bump: ${semverBump(report.diff)}.`
  );
}

function isOperationLevel(change: ApiChange): boolean {
  return !change.location.startsWith("#");
}

function operationName(report: DiffReport, key: string): string {
  const id = report.diff.operationIds[key];
  return id ? `${key}  ${id}` : key;
}

function line(change: ApiChange): string {
  return `${change.breaking ? "[breaking] " : ""}${change.message}`;
}

/**
 * The report people read: a summary line, then each affected operation with its own changes and
 * the changed schemas it uses, then each schema change once (with its JSON pointer), then changes
 * to the document as a whole.
 */
export function renderText(report: DiffReport): string {
  const lines = [title(report), summary(report)];
  const { changes } = report.diff;
  const byOperation = new Map<string, { own: ApiChange[]; schemas: Map<string, boolean> }>();
  const entry = (key: string) => {
    let found = byOperation.get(key);
    if (!found) byOperation.set(key, (found = { own: [], schemas: new Map() }));
    return found;
  };
  for (const change of changes) {
    if (isOperationLevel(change)) entry(change.location).own.push(change);
    else if (change.schema !== undefined) {
      for (const key of change.operations ?? []) {
        const schemas = entry(key).schemas;
        schemas.set(change.schema, (schemas.get(change.schema) ?? false) || change.breaking);
      }
    }
  }
  if (byOperation.size > 0) {
    lines.push("", "Operations");
    for (const key of [...byOperation.keys()].sort(compareOperationKeys)) {
      const { own, schemas } = byOperation.get(key)!;
      lines.push(`  ${operationName(report, key)}`);
      for (const change of own) lines.push(`    - ${line(change)}`);
      const whole = own.some((c) => c.type === "operation-added" || c.type === "operation-removed");
      if (schemas.size > 0 && !whole) {
        const breaking = [...schemas.values()].some(Boolean);
        lines.push(
          `    - ${breaking ? "[breaking] " : ""}through changed schemas: ${[...schemas.keys()].join(", ")}`,
        );
      }
    }
  }
  const schemaChanges = changes.filter((c) => c.schema !== undefined);
  if (schemaChanges.length > 0) {
    lines.push("", "Schemas");
    for (const change of schemaChanges) lines.push(`  - ${line(change)}  (${change.location})`);
  }
  const documentChanges = changes.filter((c) => !isOperationLevel(c) && c.schema === undefined);
  if (documentChanges.length > 0) {
    lines.push("", "Document");
    for (const change of documentChanges) lines.push(`  - ${line(change)}  (${change.location})`);
  }
  return lines.join("\n") + "\n";
}

/** `{ api, from, to, breaking, semver, documentationEdits, changes: [{ type, breaking, location, message, … }] }`. */
export function renderJson(report: DiffReport): string {
  return (
    JSON.stringify(
      {
        api: report.api ?? null,
        from: report.from,
        to: report.to,
        breaking: report.diff.breaking,
        semver: semverBump(report.diff),
        documentationEdits: report.diff.documentationEdits,
        changes: report.diff.changes,
      },
      null,
      2,
    ) + "\n"
  );
}

const MAX_USERS = 6;

/** A change as a changelog bullet: where it is, what happened, who is affected. */
function bullet(report: DiffReport, change: ApiChange): string {
  if (isOperationLevel(change)) return `- \`${change.location}\`: ${change.message}`;
  if (change.operations === undefined || change.operations.length === 0) return `- ${change.message}`;
  const users = change.operations.map((key) => report.diff.operationIds[key] ?? key);
  const shown = users.slice(0, MAX_USERS).join(", ");
  const more = users.length > MAX_USERS ? ` and ${users.length - MAX_USERS} more` : "";
  return `- ${change.message} Used by ${shown}${more}.`;
}

/**
 * The changes in plain words as Markdown, breaking ones first, under `heading` (a level-2
 * heading): an `API-CHANGELOG.md` entry, or the body of a regeneration pull request.
 */
export function renderMarkdown(report: DiffReport, heading: string): string {
  const { changes, documentationEdits } = report.diff;
  const parts = [`## ${heading}`, summary(report)];
  const breaking = changes.filter((c) => c.breaking);
  const other = changes.filter((c) => !c.breaking);
  if (breaking.length > 0)
    parts.push("### Breaking changes", breaking.map((c) => bullet(report, c)).join("\n"));
  if (other.length > 0) parts.push("### Other changes", other.map((c) => bullet(report, c)).join("\n"));
  if (changes.length === 0)
    parts.push(
      documentationEdits > 0
        ? "Only descriptions, examples and other documentation changed."
        : "Nothing but the document's bytes changed (formatting or key order).",
    );
  return parts.join("\n\n") + "\n";
}

/** The heading of a report: `platform 2024-07-10 → 2024-07-31`, dated when given a date. */
export function reportHeading(report: DiffReport, date?: string): string {
  return date ? `${date} — ${title(report)}` : title(report);
}
