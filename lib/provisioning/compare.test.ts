import { describe, expect, it } from "vitest";
import { isSubset } from "./compare";

describe("isSubset", () => {
  it("accepts extra keys AWS adds and rejects differing or missing values", () => {
    expect(isSubset({ a: 1, b: { c: "x" } }, { a: 1, b: { c: "x", d: 2 }, e: 3 })).toBe(true);
    expect(isSubset({ a: 1 }, { a: 2 })).toBe(false);
    expect(isSubset({ a: 1 }, {})).toBe(false);
  });
  it("compares arrays by position and length", () => {
    expect(isSubset([{ n: 1 }, { n: 2 }], [{ n: 1, x: 0 }, { n: 2 }])).toBe(true);
    expect(isSubset([{ n: 1 }], [{ n: 1 }, { n: 2 }])).toBe(false);
    expect(isSubset([{ n: 2 }, { n: 1 }], [{ n: 1 }, { n: 2 }])).toBe(false);
  });
  it("treats booleans and their string forms alike (CodePipeline configuration values are strings)", () => {
    expect(isSubset({ PollForSourceChanges: "false" }, { PollForSourceChanges: "false" })).toBe(true);
    expect(isSubset({ enabled: true }, { enabled: "true" })).toBe(true);
  });
});
