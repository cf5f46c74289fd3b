/**
 * The moments a budget's held units come back: kept sorted, and no more of them than are held
 * when a unit is added, so a budget far below its limit (nothing else counts its holds then) does
 * not keep one moment per request it ever sent.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Holds } from "../../../src/throttle/holds.js";
import { runs } from "../../helpers/depth.js";

describe("Holds", () => {
  it("adding at `now` drops the moments that passed by then, and counts the rest", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 3000 })), {
          maxLength: 300,
        }),
        (steps) => {
          const holds = new Holds();
          const model: number[] = [];
          let now = 0;
          for (const [advance, heldFor] of steps) {
            now += advance;
            holds.add(now + heldFor, now);
            model.push(now + heldFor);
            const held = model.filter((at) => at > now).length;
            // Only what was still held when this unit was added is kept (nothing counted it since).
            expect(holds.size).toBe(held);
            expect(holds.count(now)).toBe(held);
          }
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it("a steady stream of requests, each held a window: about a window of moments kept", () => {
    const holds = new Holds();
    for (let now = 0; now < 100_000; now += 1) holds.add(now + 1000, now);
    expect(holds.size).toBeLessThanOrEqual(1001);
  });
});
