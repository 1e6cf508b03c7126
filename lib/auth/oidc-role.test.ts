import { describe, expect, it } from "vitest";
import { roleFromClaim } from "./oidc-role";

describe("roleFromClaim", () => {
  it("reads a string claim", () => {
    expect(roleFromClaim({ portal_role: "engineer" }, "portal_role")).toBe("engineer");
    expect(roleFromClaim({ portal_role: "Admin" }, "portal_role")).toBe("admin");
  });
  it("takes the highest role named in an array claim such as groups", () => {
    expect(roleFromClaim({ groups: ["staff", "viewer", "engineer"] }, "groups")).toBe("engineer");
    expect(roleFromClaim({ groups: ["viewer", "admin"] }, "groups")).toBe("admin");
  });
  it("returns null when the claim is missing or names no portal role", () => {
    expect(roleFromClaim({}, "groups")).toBeNull();
    expect(roleFromClaim({ groups: ["staff"] }, "groups")).toBeNull();
    expect(roleFromClaim({ groups: 42 }, "groups")).toBeNull();
  });
});
