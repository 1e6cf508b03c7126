import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./redirect";

const ORIGIN = "http://localhost:3000";

describe("safeCallbackUrl", () => {
  it("keeps paths on the portal", () => {
    expect(safeCallbackUrl("/onboardings/abc?x=1#top", ORIGIN)).toBe("/onboardings/abc?x=1#top");
    expect(safeCallbackUrl("http://localhost:3000/admin", ORIGIN)).toBe("/admin");
    expect(safeCallbackUrl("/%09/evil.example", ORIGIN)).toBe("/%09/evil.example");
  });

  it("sends anything that leaves the origin, as a browser would resolve it, to /", () => {
    for (const raw of [
      "/\\evil.example",
      "\\\\evil.example",
      "//evil.example",
      "/\t/evil.example",
      "\t//evil.example",
      "https://evil.example/",
      "http://localhost:3001/",
      "javascript:alert(1)",
      "http://localhost:3000@evil.example/",
    ]) {
      expect(safeCallbackUrl(raw, ORIGIN), raw).toBe("/");
    }
  });

  it("never returns a protocol-relative path", () => {
    expect(safeCallbackUrl("/.//evil.example", ORIGIN)).toBe("/evil.example");
    expect(safeCallbackUrl(undefined, ORIGIN)).toBe("/");
  });
});
