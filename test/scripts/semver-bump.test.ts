import { describe, expect, it } from "vitest";
import type { ApiChange } from "../../scripts/drift/api-change.js";
import { largestBump, semverBump } from "../../scripts/drift/semver-bump.js";

const change = (breaking: boolean): ApiChange => ({
  type: "property-added",
  breaking,
  location: "#/components/schemas/X/properties/y",
  message: "Added optional property `X.y`.",
});

describe("semverBump", () => {
  it("breaking → major, other API changes → minor, nothing but docs → patch", () => {
    expect(semverBump({ breaking: true, changes: [change(false), change(true)] })).toBe("major");
    expect(semverBump({ breaking: false, changes: [change(false)] })).toBe("minor");
    expect(semverBump({ breaking: false, changes: [] })).toBe("patch");
  });

  it("takes the largest bump of several APIs", () => {
    expect(largestBump(["patch", "minor"])).toBe("minor");
    expect(largestBump(["minor", "major", "patch"])).toBe("major");
    expect(largestBump([])).toBe("patch");
  });
});
