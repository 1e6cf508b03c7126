import bcrypt from "bcryptjs";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { JWT } from "next-auth/jwt";
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { authOptions } from "@/lib/auth/options";
import { signInOidcUser } from "@/lib/auth/oidc-user";
import { changeRole, resetPassword, setDisabled } from "@/lib/users/service";

type Authorize = (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<{ id: string; role: string } | null>;

function credentialsAuthorize(): Authorize {
  const provider = authOptions().providers.find((p) => p.id === "credentials") as unknown as { options: { authorize: Authorize } };
  return provider.options.authorize;
}

let n = 0;
const uniqueIp = () => `10.1.${Math.floor(n / 200)}.${(n++ % 200) + 1}`;
const reqFrom = (ip: string, extra: Record<string, string> = {}) => ({ headers: { "user-agent": "vitest", "x-crossline-client-ip": ip, ...extra } });

afterEach(() => vi.restoreAllMocks());

describe("sign-in with email and password", () => {
  it("accepts the right password, refuses a wrong one and a disabled user, and audits each attempt", async () => {
    const email = `local-${Date.now()}@example.com`;
    const nobody = `nobody-${Date.now()}@example.com`;
    const user = await db.user.create({ data: { email, role: "engineer", passwordHash: await hashPassword("correct horse battery") } });
    const authorize = credentialsAuthorize();
    // The address comes from the header scripts/serve.mjs sets from the socket; a client's X-Forwarded-For is ignored.
    const req = reqFrom("10.0.0.7", { "x-forwarded-for": "=HYPERLINK(\"http://evil.example\")" });

    expect(await authorize({ email, password: "correct horse battery" }, req)).toMatchObject({ id: user.id, role: "engineer" });
    expect(await authorize({ email, password: "wrong" }, req)).toBeNull();
    expect(await authorize({ email: nobody, password: "x" }, req)).toBeNull();
    await db.user.update({ where: { id: user.id }, data: { disabled: true } });
    expect(await authorize({ email, password: "correct horse battery" }, req)).toBeNull();

    const events = await db.auditEvent.findMany({ where: { action: "auth.signin", actorEmail: email }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.outcome, JSON.parse(e.details).reason ?? null])).toEqual([
      ["success", null],
      ["failure", "wrong password"],
      ["failure", "account disabled"],
    ]);
    expect(events[0]).toMatchObject({ ip: "10.0.0.7", userAgent: "vitest" });
    expect(events.every((e) => !e.details.includes("correct horse"))).toBe(true);
    expect(await db.auditEvent.count({ where: { action: "auth.signin", actorEmail: nobody, outcome: "failure" } })).toBeGreaterThan(0);
  });

  it("backs off per account: after 5 wrong passwords even the right one is refused, without hashing anything", async () => {
    const email = `guess-${Date.now()}@example.com`;
    await db.user.create({ data: { email, role: "viewer", passwordHash: await hashPassword("the real password") } });
    const authorize = credentialsAuthorize();
    // Every guess from a different address: only the per-account limit applies.
    for (let i = 0; i < 6; i++) expect(await authorize({ email, password: `guess ${i}` }, reqFrom(uniqueIp()))).toBeNull();
    const compare = vi.spyOn(bcrypt, "compare");
    expect(await authorize({ email, password: "the real password" }, reqFrom(uniqueIp()))).toBeNull();
    expect(compare).not.toHaveBeenCalled();
    const last = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.signin", actorEmail: email }, orderBy: { seq: "desc" } });
    expect(JSON.parse(last.details)).toMatchObject({ reason: "wrong password", throttledForSeconds: 15 });
    expect(await db.auditEvent.count({ where: { action: "auth.signin", actorEmail: email } })).toBe(6);
    // Once the lock passes, the owner gets in (the backoff's clock is covered in lib/auth/backoff.test.ts).
    const { signInThrottle } = await import("@/lib/auth/sign-in-throttle");
    signInThrottle().account.succeed(email);
    expect(await authorize({ email, password: "the real password" }, reqFrom(uniqueIp()))).not.toBeNull();
  });

  it("backs off per address across accounts", async () => {
    const ip = uniqueIp();
    const authorize = credentialsAuthorize();
    for (let i = 0; i < 21; i++) expect(await authorize({ email: `spray-${i}-${Date.now()}@example.com`, password: "Winter2026!" }, reqFrom(ip))).toBeNull();
    const compare = vi.spyOn(bcrypt, "compare");
    expect(await authorize({ email: `spray-last-${Date.now()}@example.com`, password: "Winter2026!" }, reqFrom(ip))).toBeNull();
    expect(compare).not.toHaveBeenCalled();
  });
});

describe("sessions", () => {
  const callbacks = () => authOptions().callbacks!;
  const refresh = (token: JWT) => callbacks().jwt!({ token } as never) as Promise<JWT>;

  async function signedIn(role: "viewer" | "admin" = "viewer") {
    const user = await db.user.create({ data: { email: `sess-${Date.now()}-${n++}@example.com`, role, passwordHash: await hashPassword("a password for sessions") } });
    const token = (await callbacks().jwt!({ token: {}, user: { id: user.id } } as never)) as JWT;
    return { user, token };
  }

  it("a token carries the user's session version and sign-in time; refreshing it keeps both", async () => {
    const { user, token } = await signedIn();
    expect(token).toMatchObject({ uid: user.id, sv: 0, authAt: expect.any(Number) });
    expect(await refresh(token)).toEqual(token);
  });

  it("sign-out ends the session everywhere: the old token is refused afterwards", async () => {
    const { token } = await signedIn();
    await authOptions().events!.signOut!({ token } as never);
    await expect(refresh(token)).rejects.toThrow();
  });

  it("a password reset, a role change and a disable each end the user's existing sessions", async () => {
    const admin = await db.user.create({ data: { email: `sess-admin-${Date.now()}@example.com`, role: "admin" } });
    const ctx = { user: { id: admin.id, email: admin.email, name: null, role: "admin" as const }, client: {} };
    const a = await signedIn();
    await resetPassword({ id: a.user.id, passwordMode: "generate" }, ctx);
    await expect(refresh(a.token)).rejects.toThrow();
    const b = await signedIn();
    await changeRole(b.user.id, "engineer", ctx);
    await expect(refresh(b.token)).rejects.toThrow();
    const c = await signedIn();
    await setDisabled(c.user.id, true, ctx);
    await expect(refresh(c.token)).rejects.toThrow();
  });

  it("has an absolute lifetime: a token signed in longer ago than SESSION_MAX_AGE_HOURS is refused however often it was renewed", async () => {
    const { token } = await signedIn();
    const hours = authOptions().session!.maxAge! / 3600;
    await expect(refresh({ ...token, authAt: Date.now() - hours * 3600_000 - 1000 })).rejects.toThrow();
    await expect(refresh({ ...token, authAt: undefined })).rejects.toThrow();
  });
});

describe("sign-in with OIDC", () => {
  const ISS = "https://idp.example.com";
  const sso = (email: string | null, subject: string, more: object = {}) => ({ issuer: ISS, subject, email, emailVerified: true, ...more });

  it("creates the user on first sign-in with the claimed role, else no role (refused until assigned); later sign-ins keep the portal's role", async () => {
    const a = `sso-a-${Date.now()}@example.com`;
    const b = `sso-b-${Date.now()}@example.com`;
    expect(await signInOidcUser(sso(a, `sub-a-${a}`, { name: "A", role: "engineer" }))).toMatchObject({ email: a, role: "engineer", authProvider: "oidc", oidcIssuer: ISS, oidcSubject: `sub-a-${a}` });
    // OIDC_DEFAULT_ROLE defaults to none (issue 17): recorded without a role, sign-in refused.
    expect(await signInOidcUser(sso(b, `sub-b-${b}`, { name: "B", role: null }))).toEqual({ refused: "NoRole" });
    expect(await db.user.findUniqueOrThrow({ where: { email: b } })).toMatchObject({ role: "none" });
    await db.user.update({ where: { email: b }, data: { role: "admin" } });
    expect(await signInOidcUser(sso(b.toUpperCase(), `sub-b-${b}`, { role: null }))).toMatchObject({ email: b, role: "admin" });
    const first = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.signin", actorEmail: a } });
    expect(JSON.parse(first.details)).toMatchObject({ provider: "oidc", firstSignIn: true });
  });

  it("never signs an IdP identity in as the local account with the same email, and requires email_verified", async () => {
    const email = `local-admin-${Date.now()}@example.com`;
    const admin = await db.user.create({ data: { email, role: "admin", passwordHash: await hashPassword("local admin password") } });
    expect(await signInOidcUser(sso(email, `sub-evil-${Date.now()}`, { role: "viewer" }))).toBeNull();
    expect(await signInOidcUser(sso(`new-${email}`, `sub-unverified-${Date.now()}`, { emailVerified: false }))).toBeNull();
    expect(await signInOidcUser(sso(`new2-${email}`, `sub-unverified2-${Date.now()}`, { emailVerified: "true" }))).toBeNull();
    expect(await db.user.count({ where: { email: { in: [`new-${email}`, `new2-${email}`] } } })).toBe(0);
    expect(await db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ authProvider: "local", oidcSubject: null });
    const refusal = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.signin", actorEmail: email }, orderBy: { seq: "desc" } });
    expect(JSON.parse(refusal.details)).toMatchObject({ reason: expect.stringContaining("local account") });
  });

  it("refuses a disabled user and a profile without an email", async () => {
    const email = `sso-c-${Date.now()}@example.com`;
    await signInOidcUser(sso(email, `sub-c-${email}`, { role: "viewer" }));
    await db.user.update({ where: { email }, data: { disabled: true } });
    expect(await signInOidcUser(sso(email, `sub-c-${email}`, { role: "viewer" }))).toBeNull();
    expect(await signInOidcUser(sso(null, `sub-none-${email}`))).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "auth.signin", actorEmail: email, outcome: "failure" } })).toBe(1);
  });
});
