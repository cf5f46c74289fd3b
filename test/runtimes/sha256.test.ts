import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/internal/sha256.js";
import { tokenHash } from "../../src/transport/token.js";
import { runs } from "../helpers/depth.js";

describe("sha256Hex (the core's SHA-256, without node:crypto)", () => {
  it("agrees with node:crypto on any text, across block boundaries and non-ASCII", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 200 })),
        (text) => {
          expect(sha256Hex(text)).toBe(createHash("sha256").update(text).digest("hex"));
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it("keeps the token hash (limiter and Redis key names) what it was", () => {
    const token = "astro-token-0123456789";
    expect(tokenHash(token)).toBe(createHash("sha256").update(token).digest("hex").slice(0, 16));
  });
});
