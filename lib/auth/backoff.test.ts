import { describe, expect, it } from "vitest";
import { activeFailures, forgotten, lockAfter, retryAfterMs } from "./backoff";

const policy = { free: 3, baseMs: 1_000, maxMs: 8_000, forgetMs: 60_000 };

describe("backoff", () => {
  it("lets the free failures through, then locks for base × 2^n, capped", () => {
    expect([1, 2, 3].map((n) => lockAfter(policy, n))).toEqual([0, 0, 0]);
    expect([4, 5, 6, 7, 8].map((n) => lockAfter(policy, n))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
  });

  it("never locks the owner out for longer than the cap, and the lock runs out", () => {
    expect(lockAfter(policy, 50)).toBe(8_000);
    expect(lockAfter(policy, 10_000)).toBe(8_000);
    const e = { failures: 50, lastFailAt: 0, lockedUntil: 8_000 };
    expect(retryAfterMs(e, 0)).toBe(8_000);
    expect(retryAfterMs(e, 8_000)).toBe(0);
    expect(retryAfterMs(null, 0)).toBe(0);
  });

  it("forgets failures after a quiet period, but never while locked", () => {
    const e = { failures: 4, lastFailAt: 0, lockedUntil: 1_000 };
    expect(forgotten(policy, e, 60_000)).toBe(false);
    expect(forgotten(policy, e, 61_000)).toBe(true);
    expect(activeFailures(policy, e, 30_000)).toBe(4);
    expect(activeFailures(policy, e, 61_000)).toBe(0);
    expect(forgotten(policy, { ...e, lockedUntil: 100_000 }, 61_000)).toBe(false);
    expect(activeFailures(policy, undefined, 0)).toBe(0);
  });
});
