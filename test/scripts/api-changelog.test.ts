import { describe, expect, it } from "vitest";
import { prependEntries } from "../../scripts/drift/api-changelog.js";
import { formatMarkdown } from "../../scripts/shared/prettier.js";

describe("prependEntries", () => {
  it("starts a missing changelog with its header, then the entries", async () => {
    const text = await formatMarkdown(prependEntries(undefined, ["## 2024-07-31 — platform a → b\n\nOne."]));
    expect(text).toMatch(/^# API changelog\n\n[^#]+\n## 2024-07-31 — platform a → b\n\nOne\.\n$/);
  });

  it("puts new entries above the newest one and keeps everything else", async () => {
    const current = await formatMarkdown(prependEntries(undefined, ["## 2024-07-01 — iam a → b\n\nOld."]));
    const next = await formatMarkdown(
      prependEntries(current, [
        "## 2024-08-01 — iam b → c\n\nNew.",
        "## 2024-08-01 — platform x → y\n\nAlso new.",
      ]),
    );
    const headings = [...next.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      "2024-08-01 — iam b → c",
      "2024-08-01 — platform x → y",
      "2024-07-01 — iam a → b",
    ]);
    expect(next.endsWith("## 2024-07-01 — iam a → b\n\nOld.\n")).toBe(true);
    expect(next.startsWith(current.slice(0, current.indexOf("## ")))).toBe(true);
  });
});
