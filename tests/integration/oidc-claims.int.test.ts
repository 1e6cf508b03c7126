// Issue 21: against a real OpenID Connect provider on its conforming defaults (oidc-provider 9, in-process on
// loopback, e2e/oidc-idp.ts), the email/profile claims come from UserInfo, not the ID token. The portal's own
// next-auth provider settings (scopes, client authentication, the UserInfo request and the profile mapping)
// read them, and its signIn callback creates, updates and refuses users with the reasons the sign-in page shows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { startTestIdp, IDP_CLIENT_ID, IDP_CLIENT_SECRET, type TestIdp } from "@/e2e/oidc-idp";
import { codeFlow } from "@/tests/support/oidc-code-flow";

const PORTAL = "http://portal.test";
const REDIRECT = `${PORTAL}/api/auth/callback/oidc`;
let idp: TestIdp;
let postOnlyIdp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp({ portalUrls: [PORTAL] });
  postOnlyIdp = await startTestIdp({ portalUrls: [PORTAL], tokenEndpointAuthMethod: "client_secret_post" });
  // Read by lib/config/env.ts at its first use, which comes after this (the modules below are imported lazily).
  Object.assign(process.env, {
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: IDP_CLIENT_ID,
    OIDC_CLIENT_SECRET: IDP_CLIENT_SECRET,
    OIDC_SCOPES: "openid email profile portal groups",
    OIDC_TEAM_CLAIM: "groups",
    NEXTAUTH_SECRET: "an-integration-test-secret-of-32-chars",
  });
});
afterAll(async () => {
  await idp?.stop();
  await postOnlyIdp?.stop();
});

async function portalProvider() {
  const { authOptions } = await import("@/lib/auth/options");
  return authOptions().providers.find((p) => p.id === "oidc") as OAuthConfig<Record<string, unknown>> & { client: Record<string, unknown> };
}

/** What next-auth does after the IdP redirects back: code exchange, then the provider's userinfo.request and profile. */
async function signInAtIdp(login: string, over: { issuer?: string; scope?: string; metadata?: Record<string, unknown> } = {}) {
  const provider = await portalProvider();
  const scope = over.scope ?? (provider.authorization as { params: { scope: string } }).params.scope;
  const { client, tokens } = await codeFlow(
    {
      issuer: over.issuer ?? idp.issuer,
      clientId: IDP_CLIENT_ID,
      clientSecret: IDP_CLIENT_SECRET,
      redirectUri: REDIRECT,
      scope,
      metadata: over.metadata ?? provider.client,
    },
    login,
  );
  const request = (provider.userinfo as { request: (ctx: unknown) => Promise<Record<string, unknown>> }).request;
  const profile = await request({ client, tokens, provider });
  return { tokens, profile, user: await provider.profile(profile, tokens) };
}

describe("claims from a conforming OpenID Connect provider", () => {
  it("reads email, email_verified, name, the role claim and the team claim from UserInfo; the ID token alone has none of them", async () => {
    idp.users.set("ada", {
      email: "Ada@Example.com",
      email_verified: true,
      name: "Ada Lovelace",
      portal_role: "engineer",
      groups: ["payments", "platform"],
    });
    const { tokens, profile, user } = await signInAtIdp("ada");
    // The provider's defaults: the scope claims are not in the ID token (what made every SSO user "no email claim").
    expect(tokens.claims()).not.toHaveProperty("email");
    expect(tokens.claims()).not.toHaveProperty("portal_role");
    expect(profile).toMatchObject({
      iss: idp.issuer,
      sub: "ada",
      email: "Ada@Example.com",
      email_verified: true,
      name: "Ada Lovelace",
      portal_role: "engineer",
      groups: ["payments", "platform"],
    });
    expect(user).toEqual({ id: "ada", email: "Ada@Example.com", name: "Ada Lovelace", role: "engineer" });

    const { readOidcClaims } = await import("@/lib/auth/oidc/claims");
    expect(readOidcClaims(profile, { issuer: idp.issuer, roleClaim: "portal_role", teamClaim: "groups" })).toEqual({
      issuer: idp.issuer,
      subject: "ada",
      email: "Ada@Example.com",
      emailVerified: true,
      name: "Ada Lovelace",
      role: "engineer",
      groups: ["payments", "platform"],
    });
  });

  it("releases only the claims of the scopes asked for (OIDC_SCOPES)", async () => {
    idp.users.set("bob", { email: "bob@example.com", email_verified: true, name: "Bob", portal_role: "admin", groups: ["ops"] });
    const { profile, user } = await signInAtIdp("bob", { scope: "openid email" });
    expect(profile).toMatchObject({ sub: "bob", email: "bob@example.com", email_verified: true });
    expect(profile).not.toHaveProperty("portal_role");
    expect(profile).not.toHaveProperty("groups");
    expect(profile).not.toHaveProperty("name");
    expect((user as { role?: unknown }).role).toBeNull();
  });

  it("authenticates at the token endpoint with client_secret_basic by default and with client_secret_post when configured", async () => {
    postOnlyIdp.users.set("cy", { email: "cy@example.com", email_verified: true });
    const provider = await portalProvider();
    expect(provider.client).toEqual({ token_endpoint_auth_method: "client_secret_basic" });
    idp.tokenRequests.length = 0;
    await signInAtIdp("cy", { issuer: postOnlyIdp.issuer, metadata: { token_endpoint_auth_method: "client_secret_post" } });
    expect(postOnlyIdp.tokenRequests.at(-1)).toBe("body");
    // next-auth's default, through the portal's provider settings: the secret in an HTTP Basic header.
    idp.users.set("cy", { email: "cy@example.com", email_verified: true });
    const { profile } = await signInAtIdp("cy");
    expect(idp.tokenRequests).toEqual(["basic"]);
    expect(profile).toMatchObject({ sub: "cy", email: "cy@example.com" });
  });
});

describe("the signIn callback with those claims", () => {
  const client = { ip: "203.0.113.21", userAgent: "oidc-claims-test" };

  async function portalSignIn(login: string) {
    const { user, profile } = await signInAtIdp(login);
    const { authOptions } = await import("@/lib/auth/options");
    return authOptions({ client }).callbacks!.signIn!({
      user: { ...user } as never,
      account: { provider: "oidc", type: "oauth", providerAccountId: String(profile.sub) } as never,
      profile: profile as never,
    });
  }

  it("creates the user with the claimed role, follows a changed role claim at the next sign-in, and audits the client", async () => {
    const { db } = await import("@/lib/db");
    const sub = `dee-${Date.now()}`;
    const email = `${sub}@example.com`;
    idp.users.set(sub, { email, email_verified: true, name: "Dee", portal_role: "viewer" });
    expect(await portalSignIn(sub)).toBe(true);
    expect(await db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({
      role: "viewer",
      name: "Dee",
      authProvider: "oidc",
      oidcIssuer: idp.issuer,
      oidcSubject: sub,
    });
    const first = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.signin", actorEmail: email }, orderBy: { seq: "desc" } });
    expect({ ip: first.ip, userAgent: first.userAgent, outcome: first.outcome }).toEqual({
      ip: client.ip,
      userAgent: client.userAgent,
      outcome: "success",
    });

    idp.users.set(sub, { ...idp.users.get(sub), portal_role: "engineer" });
    expect(await portalSignIn(sub)).toBe(true);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).role).toBe("engineer");
    const second = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.signin", actorEmail: email }, orderBy: { seq: "desc" } });
    expect(JSON.parse(second.details)).toMatchObject({ roleFromClaim: { from: "viewer", to: "engineer" } });

    // A role claim that names no portal role leaves the role assigned in the portal.
    idp.users.set(sub, { ...idp.users.get(sub), portal_role: undefined });
    expect(await portalSignIn(sub)).toBe(true);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).role).toBe("engineer");
  });

  it("refuses with a reason code for each case, audited with the client", async () => {
    const { db } = await import("@/lib/db");
    const stamp = Date.now();
    idp.users.set(`unverified-${stamp}`, { email: `unverified-${stamp}@example.com`, email_verified: false, portal_role: "viewer" });
    expect(await portalSignIn(`unverified-${stamp}`)).toBe("/signin?error=SsoEmailUnverified");

    const local = await db.user.create({ data: { email: `local-${stamp}@example.com`, role: "engineer", passwordHash: "x" } });
    idp.users.set(`local-${stamp}`, { email: local.email, email_verified: true, portal_role: "admin" });
    expect(await portalSignIn(`local-${stamp}`)).toBe("/signin?error=SsoLocalAccount");
    expect(await db.user.findUniqueOrThrow({ where: { id: local.id } })).toMatchObject({
      role: "engineer",
      authProvider: "local",
      oidcSubject: null,
    });

    idp.users.set(`norole-${stamp}`, { email: `norole-${stamp}@example.com`, email_verified: true });
    expect(await portalSignIn(`norole-${stamp}`)).toBe("/signin?error=NoRole");

    idp.users.set(`off-${stamp}`, { email: `off-${stamp}@example.com`, email_verified: true, portal_role: "viewer" });
    expect(await portalSignIn(`off-${stamp}`)).toBe(true);
    await db.user.update({ where: { email: `off-${stamp}@example.com` }, data: { disabled: true } });
    expect(await portalSignIn(`off-${stamp}`)).toBe("/signin?error=SsoDisabled");

    idp.users.set(`noemail-${stamp}`, { name: "No Email" });
    expect(await portalSignIn(`noemail-${stamp}`)).toBe("/signin?error=SsoNoEmail");

    const refusals = await db.auditEvent.findMany({
      where: { action: "auth.signin", outcome: "failure", actorEmail: { contains: `-${stamp}@` } },
    });
    expect(refusals.length).toBeGreaterThanOrEqual(4);
    for (const r of refusals) expect({ ip: r.ip, userAgent: r.userAgent }).toEqual({ ip: client.ip, userAgent: client.userAgent });
  });
});
