/** The judge of reads after a mutation: never a stale read, and a fresh ready one only with evidence. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AstroConfigError } from "../../src/index.js";
import { checkEvidence, evidenceJudge } from "../../src/workflows/mutation-evidence.js";

const READY = ["HEALTHY", "HIBERNATING"];
const SINCE = "2026-12-07T12:00:00Z";
const read = fc.record({
  status: fc.constantFrom("HEALTHY", "HIBERNATING", "DEPLOYING", "UNHEALTHY", "CREATING"),
  ageS: fc.integer({ min: -5, max: 5 }), // updatedAt relative to the mutation's, in seconds
  version: fc.constantFrom("v-old", "v-new"),
  afterMs: fc.integer({ min: 0, max: 40_000 }),
});

type Read = typeof read extends fc.Arbitrary<infer R> ? R : never;

function run(evidence: object, reads: Read[]) {
  let now = 0;
  const judge = evidenceJudge(checkEvidence(evidence)!, () => now);
  return reads.map((r) => {
    now += r.afterMs;
    const data = {
      status: r.status,
      updatedAt: new Date(Date.parse(SINCE) + r.ageS * 1000).toISOString(),
      dagTarballVersion: r.version,
    };
    return judge(data, r.status, READY.includes(r.status));
  });
}

describe("evidenceJudge", () => {
  it("never ends on a read older than updatedAt, nor on one not in a ready status", () => {
    fc.assert(
      fc.property(fc.array(read, { maxLength: 12 }), (reads) => {
        run({ updatedAt: SINCE, settleMs: 0 }, reads).forEach((ended, i) => {
          if (reads[i]!.ageS < 0 || !READY.includes(reads[i]!.status)) expect(ended).toBe(false);
        });
      }),
    );
  });

  it("with updatedAt only: a fresh ready read ends the wait only after the Deployment left a ready status or settleMs of fresh ready reads", () => {
    fc.assert(
      fc.property(fc.array(read, { maxLength: 12 }), (reads) => {
        const ended = run({ updatedAt: SINCE, settleMs: 30_000 }, reads);
        let left = false;
        let readySince: number | undefined;
        let now = 0;
        reads.forEach((r, i) => {
          now += r.afterMs;
          const fresh = r.ageS >= 0;
          const ready = READY.includes(r.status);
          let expected = false;
          if (fresh && !ready) {
            left = true;
            readySince = undefined;
          } else if (fresh && ready) {
            readySince ??= now;
            expected = left || now - readySince >= 30_000;
          }
          expect(ended[i]).toBe(expected);
        });
      }),
    );
  });

  it("with dagTarballVersion: exactly the ready reads that show that version", () => {
    fc.assert(
      fc.property(fc.array(read, { maxLength: 12 }), (reads) => {
        run({ dagTarballVersion: "v-new" }, reads).forEach((ended, i) => {
          expect(ended).toBe(READY.includes(reads[i]!.status) && reads[i]!.version === "v-new");
        });
      }),
    );
  });

  it("refuses evidence that could never end, or would end at once", () => {
    for (const after of [
      {},
      null,
      { updatedAt: "yesterday" },
      { status: "DEPLOYING" },
      { settleMs: -1, updatedAt: SINCE },
      { dagTarballVersion: "" },
    ])
      expect(() => checkEvidence(after)).toThrow(AstroConfigError);
  });
});
