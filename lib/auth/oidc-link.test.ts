import { describe, expect, it } from "vitest";
import { oidcDecision, type OidcCandidate } from "./oidc-link";

const identity = { issuer: "https://idp.example.com", subject: "sub-123", email: "admin@example.com", emailVerified: true };
const user = (over: Partial<OidcCandidate> = {}): OidcCandidate => ({
  id: "u1",
  email: "admin@example.com",
  authProvider: "local",
  disabled: false,
  oidcIssuer: null,
  oidcSubject: null,
  ...over,
});

describe("oidcDecision", () => {
  it("never signs an IdP identity in as the local account that has its email", () => {
    expect(oidcDecision(identity, null, user())).toMatchObject({ kind: "refuse", reason: expect.stringContaining("local account") });
  });

  it("requires email_verified to be true before creating or linking anyone", () => {
    for (const v of [false, "true", undefined, 1])
      expect(oidcDecision({ ...identity, emailVerified: v }, null, null)).toMatchObject({
        kind: "refuse",
        reason: expect.stringContaining("not verified"),
      });
    expect(oidcDecision(identity, null, null)).toEqual({ kind: "create" });
  });

  it("finds a user by issuer + subject, whatever the email now says", () => {
    const sso = user({ authProvider: "oidc", oidcIssuer: identity.issuer, oidcSubject: "sub-123", email: "old@example.com" });
    expect(oidcDecision({ ...identity, email: "new@example.com", emailVerified: false }, sso, null)).toEqual({
      kind: "existing",
      user: sso,
    });
    expect(oidcDecision(identity, { ...sso, disabled: true }, null)).toMatchObject({ kind: "refuse", reason: "account disabled" });
  });

  it("does not hand one SSO identity's account to another subject with the same email", () => {
    const other = user({ authProvider: "oidc", oidcIssuer: identity.issuer, oidcSubject: "sub-999" });
    expect(oidcDecision(identity, null, other)).toMatchObject({ kind: "refuse" });
  });

  it("links an SSO user created before subjects were stored, once, with a verified email", () => {
    const legacy = user({ authProvider: "oidc" });
    expect(oidcDecision(identity, null, legacy)).toEqual({ kind: "claim-legacy", user: legacy });
    expect(oidcDecision({ ...identity, emailVerified: false }, null, legacy)).toMatchObject({ kind: "refuse" });
  });

  it("gives each refusal the code the sign-in page words (lib/auth/oidc/refusals.ts)", () => {
    expect(oidcDecision(identity, null, user())).toMatchObject({ code: "SsoLocalAccount" });
    expect(oidcDecision({ ...identity, emailVerified: false }, null, null)).toMatchObject({ code: "SsoEmailUnverified" });
    expect(oidcDecision({ ...identity, email: null }, null, null)).toMatchObject({ code: "SsoNoEmail" });
    expect(oidcDecision(identity, null, user({ authProvider: "oidc", oidcIssuer: identity.issuer, oidcSubject: "sub-999" }))).toMatchObject(
      { code: "SsoEmailTaken" },
    );
    expect(oidcDecision(identity, user({ authProvider: "oidc", disabled: true }), null)).toMatchObject({ code: "SsoDisabled" });
  });
});
