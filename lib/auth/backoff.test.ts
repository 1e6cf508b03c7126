import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff";

const policy = { free: 3, baseMs: 1_000, maxMs: 8_000, forgetMs: 60_000, maxKeys: 3 };

function clocked() {
  let t = 0;
  const b = new Backoff(policy, () => t);
  return { b, advance: (ms: number) => (t += ms) };
}

describe("Backoff", () => {
  it("lets the free failures through, then locks for base × 2^n, capped", () => {
    const { b } = clocked();
    expect([b.fail("k"), b.fail("k"), b.fail("k")]).toEqual([0, 0, 0]);
    expect(b.retryAfterMs("k")).toBe(0);
    expect([b.fail("k"), b.fail("k"), b.fail("k"), b.fail("k"), b.fail("k")]).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(b.retryAfterMs("k")).toBe(8_000);
    expect(b.retryAfterMs("other")).toBe(0);
  });

  it("never locks the owner out for longer than the cap, and the lock runs out", () => {
    const { b, advance } = clocked();
    for (let i = 0; i < 50; i++) b.fail("k");
    expect(b.retryAfterMs("k")).toBe(8_000);
    advance(8_000);
    expect(b.retryAfterMs("k")).toBe(0);
  });

  it("forgets failures after a quiet period, and a success clears them", () => {
    const { b, advance } = clocked();
    for (let i = 0; i < 4; i++) b.fail("k");
    advance(61_000);
    expect(b.retryAfterMs("k")).toBe(0);
    expect(b.fail("k")).toBe(0);
    for (let i = 0; i < 3; i++) b.fail("j");
    b.succeed("j");
    expect(b.fail("j")).toBe(0);
  });

  it("remembers at most maxKeys keys, dropping the oldest", () => {
    const { b } = clocked();
    for (const k of ["a", "b", "c", "d"]) for (let i = 0; i < 4; i++) b.fail(k);
    expect(b.retryAfterMs("a")).toBe(0);
    expect(b.retryAfterMs("d")).toBe(1_000);
  });
});
