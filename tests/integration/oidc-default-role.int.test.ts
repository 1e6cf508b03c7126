// Issue 17, item 8: with SSO, a new user whose identity provider names no portal role used to get `viewer` and so
// read every pipeline. Now (OIDC_DEFAULT_ROLE unset = "none") the sign-in is refused through next-auth's own signIn
// callback with NoRole: the person is recorded without a role (admins see them under Users), holds no session
// identity the portal accepts, and can sign in once an admin assigns a role. Real SQLite, real auth options.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/config/env";
import { authOptions } from "@/lib/auth/options";
import { allowedNotifyDomains } from "@/lib/notifications/recipients";
import { changeRole } from "@/lib/users/service";

const ISS = "https://idp.example.com";

/** What next-auth calls after the IdP's callback: the profile's role claim is already mapped onto `user.role`. */
function oidcSignIn(email: string, subject: string, role: string | null = null) {
  const profile = { iss: ISS, sub: subject, email, email_verified: true, name: "New Person" };
  return authOptions().callbacks!.signIn!({
    user: { id: subject, email, role } as never,
    account: { provider: "oidc", type: "oauth", providerAccountId: subject } as never,
    profile: profile as never,
  });
}

describe("a new SSO user without a claimed role", () => {
  it("is refused with NoRole (audited) and recorded with no role until an admin assigns one", async () => {
    const email = `sso-norole-${Date.now()}@newcomer.test`;
    const subject = `sub-${email}`;

    expect(await oidcSignIn(email, subject)).toBe("/signin?error=NoRole");
    expect(env().OIDC_DEFAULT_ROLE).toBe("none");
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect({ role: user.role, authProvider: user.authProvider, oidcSubject: user.oidcSubject }).toEqual({
      role: "none",
      authProvider: "oidc",
      oidcSubject: subject,
    });
    const refusal = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.signin", actorEmail: email }, orderBy: { seq: "desc" } });
    expect(refusal.outcome).toBe("failure");
    expect(JSON.parse(refusal.details)).toMatchObject({
      provider: "oidc",
      firstSignIn: true,
      reason: expect.stringContaining("no role assigned"),
    });
    // A role-less user's domain does not become an allowed notification domain.
    expect(await allowedNotifyDomains()).not.toContain("newcomer.test");

    // Signing in again changes nothing until an admin acts.
    expect(await oidcSignIn(email, subject)).toBe("/signin?error=NoRole");
    expect((await db.user.findUniqueOrThrow({ where: { email } })).role).toBe("none");

    const admin = await db.user.create({ data: { email: `norole-admin-${Date.now()}@example.com`, role: "admin" } });
    await changeRole(user.id, "viewer", { user: { id: admin.id, email: admin.email, name: null, role: "admin" }, client: {} });
    expect(await oidcSignIn(email, subject)).toBe(true);
  });

  it("a claimed role still applies at the first sign-in", async () => {
    const email = `sso-claimed-${Date.now()}@example.com`;
    expect(await oidcSignIn(email, `sub-${email}`, "engineer")).toBe(true);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).role).toBe("engineer");
  });
});
