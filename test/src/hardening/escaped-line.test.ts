/**
 * `escapedLine`, how a waiter shows a server's status: printable ASCII as it is, anything else
 * written `\uXXXX`, cut to its bound between escapes (never inside one), with the original length.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapedLine } from "../../../src/errors/server-text.js";
import { runs } from "../../helpers/depth.js";

/** Text of printable ASCII and the characters a hostile status uses instead. */
const text = fc
  .array(fc.constantFrom("H", "E", "x", " ", "\\", "u", "\u200b", "\r", "\n", "\u001b", "é", "😀"), {
    maxLength: 60,
  })
  .map((chars) => chars.join(""));

describe("escapedLine", () => {
  it("is printable ASCII, within its bound, every escape whole", () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 40 }), (input, max) => {
        const line = escapedLine(input, max);
        expect(line).toMatch(/^[\x20-\x7e…]*$/);
        const note = / ?… \((\d+) characters\)$/.exec(line);
        const shown = note ? line.slice(0, note.index) : line;
        expect(shown.length).toBeLessThanOrEqual(max);
        if (note) expect(Number(note[1])).toBe(input.length);
        else
          expect(shown).toBe(
            input.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
          );
        // Every escape the line holds is whole: the cut left no `\u` without its four digits.
        const escapes = input.includes("\\") ? [] : (shown.match(/\\u[0-9a-f]{0,4}/g) ?? []);
        for (const escape of escapes) expect(escape).toMatch(/^\\u[0-9a-f]{4}$/);
      }),
      { numRuns: runs(300) },
    );
  });
});
