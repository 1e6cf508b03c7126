import { describe, expect, it } from "vitest";
import { existingSingleton, processSingleton } from "./singleton";

describe("processSingleton", () => {
  it("creates once per key and returns the same value after", () => {
    let made = 0;
    const a = processSingleton("test:one", () => ({ n: ++made }));
    const b = processSingleton("test:one", () => ({ n: ++made }));
    expect(b).toBe(a);
    expect(made).toBe(1);
    expect(existingSingleton("test:one")).toBe(a);
  });

  it("keeps keys apart and does not create on lookup", () => {
    expect(existingSingleton("test:absent")).toBeUndefined();
    expect(processSingleton("test:two", () => 2)).toBe(2);
    expect(processSingleton("test:three", () => 3)).toBe(3);
  });
});
