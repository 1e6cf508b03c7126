import { describe, expect, it } from "vitest";
import { mergeClaims, readOidcClaims } from "./claims";

const settings = { issuer: "https://idp.example.com", roleClaim: "portal_role", teamClaim: "groups" };

describe("mergeClaims", () => {
  it("lets UserInfo supply and override claims but keeps the ID token's iss and sub", () => {
    const merged = mergeClaims(
      { iss: "https://idp.example.com", sub: "s1", name: "Old" },
      { sub: "s1", iss: "https://evil.example", email: "a@example.com", name: "New" },
    );
    expect(merged).toEqual({ iss: "https://idp.example.com", sub: "s1", email: "a@example.com", name: "New" });
  });
  it("falls back to the ID token's claims without UserInfo", () => {
    expect(mergeClaims({ iss: "i", sub: "s", email: "x@example.com" }, null)).toEqual({ iss: "i", sub: "s", email: "x@example.com" });
  });
});

describe("readOidcClaims", () => {
  it("reads the identity, email, name, role and the team claim", () => {
    expect(
      readOidcClaims(
        {
          iss: "https://idp.example.com",
          sub: "s1",
          email: " a@example.com ",
          email_verified: true,
          given_name: "Ada",
          family_name: "L",
          portal_role: "Engineer",
          groups: ["pay", 3, " ops "],
        },
        settings,
      ),
    ).toEqual({
      issuer: "https://idp.example.com",
      subject: "s1",
      email: "a@example.com",
      emailVerified: true,
      name: "Ada L",
      role: "engineer",
      groups: ["pay", "ops"],
    });
  });
  it("uses OIDC_ISSUER without an iss claim, and reads no groups unless a team claim is configured", () => {
    const c = readOidcClaims({ sub: "s2", groups: ["pay"] }, { ...settings, teamClaim: null });
    expect(c).toMatchObject({ issuer: settings.issuer, email: null, name: null, role: null, groups: null });
  });
});
