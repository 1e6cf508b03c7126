import { describe, expect, it } from "vitest";
import { roleSessionNameFor, sourceIdentityFor } from "./session-names";

describe("session names", () => {
  it("keeps an email as SourceIdentity", () => {
    expect(sourceIdentityFor("Dana.Dev+ops@Example.com")).toBe("dana.dev+ops@example.com");
  });
  it("replaces characters AWS refuses and caps at 64", () => {
    expect(sourceIdentityFor("a b/c@x.io")).toBe("a-b-c@x.io");
    expect(sourceIdentityFor("x".repeat(80) + "@e.com")).toHaveLength(64);
    expect(roleSessionNameFor("dana@example.com")).toBe("portal-dana");
  });
});
