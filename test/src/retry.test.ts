import { describe, expect, it } from "vitest";
import { checkRetry } from "../../src/client/checks.js";
import { parseRetryAfter } from "../../src/errors/retry-after.js";
import { backoffDelay, DEFAULT_RETRY } from "../../src/transport/retry.js";

describe("backoff", () => {
  it("doubles from 0.5 s to a cap of 8 s, jittered within [d/2, d]", () => {
    const low = (retry: number) => backoffDelay(retry, DEFAULT_RETRY, () => 0);
    const high = (retry: number) => backoffDelay(retry, DEFAULT_RETRY, () => 1);
    expect([0, 1, 2, 3, 4, 5].map(high)).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect([0, 1, 5].map(low)).toEqual([250, 500, 4000]);
  });
});

describe("Retry-After", () => {
  it("reads delta-seconds and HTTP-dates", () => {
    expect(parseRetryAfter("1")).toBe(1000);
    expect(parseRetryAfter(" 2.5 ")).toBe(2500);
    const now = Date.parse("2024-07-31T12:00:00Z");
    expect(parseRetryAfter("Wed, 31 Jul 2024 12:00:03 GMT", now)).toBe(3000);
    expect(parseRetryAfter("Wed, 31 Jul 2024 11:00:00 GMT", now)).toBe(0);
  });

  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("")).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter("-1")).toBeUndefined();
  });
});

describe("retry options", () => {
  it("rejects negative or fractional values with the option's name", () => {
    expect(() => checkRetry({ maxRetries: -1 })).toThrow(/maxRetries must be a whole number ≥ 0, got -1/);
    expect(() => checkRetry({ maxRetries: 1.5 })).toThrow(/maxRetries/);
    expect(() => checkRetry({ initialDelayMs: Number.NaN })).toThrow(/initialDelayMs must be a number ≥ 0/);
    expect(checkRetry({ maxRetries: undefined, maxDelayMs: 100 })).toEqual({
      ...DEFAULT_RETRY,
      maxDelayMs: 100,
    });
  });
});
