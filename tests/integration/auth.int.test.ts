import { execFileSync } from "node:child_process";
import bcrypt from "bcryptjs";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { JWT } from "next-auth/jwt";
import { createClient, db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { authOptions } from "@/lib/auth/options";
import { signInOidcUser } from "@/lib/auth/oidc-user";
import { recordSignInFailure, recordSignInSuccess, signInRetryAfterMs } from "@/lib/auth/sign-in-throttle";
import { changeRole, resetPassword, setDisabled } from "@/lib/users/service";
import { signClientIp } from "../../scripts/client-ip.mjs";
import { POST as authRoute } from "@/app/api/auth/[...nextauth]/route";

// The per-start key scripts/serve.mjs signs the client address with (lib/auth/client-info.ts checks it).
const ipKey = vi.hoisted(() => (process.env.PORTAL_CLIENT_IP_KEY = "auth-int-test-client-ip-key-0123456789abcdef"));

type Authorize = (
  credentials: Record<string, string>,
  req: { headers: Record<string, string> },
) => Promise<{ id: string; role: string } | null>;

function credentialsAuthorize(): Authorize {
  const provider = authOptions().providers.find((p) => p.id === "credentials") as unknown as { options: { authorize: Authorize } };
  return provider.options.authorize;
}

let n = 0;
const uniqueIp = () => `10.1.${Math.floor(n / 200)}.${(n++ % 200) + 1}`;
const reqFrom = (ip: string, extra: Record<string, string> = {}) => ({
  headers: { "user-agent": "vitest", "x-crossline-client-ip": ip, "x-crossline-client-ip-sig": signClientIp(ip, ipKey), ...extra },
});

afterEach(() => vi.restoreAllMocks());

describe("sign-in with email and password", () => {
  it("accepts the right password, refuses a wrong one and a disabled user, and audits each attempt", async () => {
    const email = `local-${Date.now()}@example.com`;
    const nobody = `nobody-${Date.now()}@example.com`;
    const user = await db.user.create({ data: { email, role: "engineer", passwordHash: await hashPassword("correct horse battery") } });
    const authorize = credentialsAuthorize();
    // The address comes from the header scripts/serve.mjs sets from the socket; a client's X-Forwarded-For is ignored.
    const req = reqFrom("10.0.0.7", { "x-forwarded-for": '=HYPERLINK("http://evil.example")' });

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
    await recordSignInSuccess(email);
    expect(await authorize({ email, password: "the real password" }, reqFrom(uniqueIp()))).not.toBeNull();
  });

  it("behind one shared address, 20+ failures at other accounts never refuse a correct password; they do refuse more guesses at failing accounts", async () => {
    // A load balancer without PORTAL_TRUSTED_PROXIES: every user arrives from the balancer's address.
    const balancer = uniqueIp();
    const authorize = credentialsAuthorize();
    const stamp = Date.now();
    const sprayed = Array.from({ length: 21 }, (_, i) => `spray-${i}-${stamp}@example.com`);
    for (const email of sprayed) expect(await authorize({ email, password: "Winter2026!" }, reqFrom(balancer))).toBeNull();
    // The 21st failure locked the address.
    const last = await db.auditEvent.findFirstOrThrow({
      where: { action: "auth.signin", actorEmail: sprayed[20] },
      orderBy: { seq: "desc" },
    });
    expect(JSON.parse(last.details)).toMatchObject({ throttledForSeconds: 15 });

    // A colleague behind the same balancer, whose account nobody has failed at, signs in.
    const colleague = `colleague-${stamp}@example.com`;
    await db.user.create({ data: { email: colleague, role: "viewer", passwordHash: await hashPassword("colleague's own password") } });
    expect(await authorize({ email: colleague, password: "colleague's own password" }, reqFrom(balancer))).not.toBeNull();

    // The spray's second round (accounts already failing) from the locked address is refused before hashing.
    const compare = vi.spyOn(bcrypt, "compare");
    expect(await authorize({ email: sprayed[0], password: "Summer2026!" }, reqFrom(balancer))).toBeNull();
    expect(compare).not.toHaveBeenCalled();
    // …and over HTTP the route answers 429 with Retry-After before next-auth reads the password.
    const body = new URLSearchParams({ email: sprayed[0], password: "Summer2026!", csrfToken: "x" });
    const res = await authRoute(
      new Request("http://localhost/api/auth/callback/credentials", {
        method: "POST",
        body,
        headers: { "content-type": "application/x-www-form-urlencoded", ...reqFrom(balancer).headers },
      }),
      { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) },
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(compare).not.toHaveBeenCalled();
  });

  it("counts failures in the database: another instance (a second process with its own Prisma client) refuses the account the first one locked", async () => {
    const email = `shared-${Date.now()}@example.com`;
    await db.user.create({ data: { email, role: "viewer", passwordHash: await hashPassword("the shared password") } });
    const authorize = credentialsAuthorize();
    for (let i = 0; i < 6; i++) expect(await authorize({ email, password: `guess ${i}` }, reqFrom(uniqueIp()))).toBeNull();
    const elsewhere = (password: string) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          ["--conditions=react-server", "--import", "tsx", "tests/support/sign-in-elsewhere.ts", email, password],
          { env: process.env, encoding: "utf8" },
        )
          .trim()
          .split("\n")
          .pop()!,
      );
    // The lock instance one set holds on instance two, even for the right password.
    expect(elsewhere("the shared password")).toEqual({ signedIn: false });
    // Once it is lifted (here: a success recorded by this instance clears the account), instance two lets the owner in.
    await recordSignInSuccess(email);
    expect(await signInRetryAfterMs(email, null)).toBe(0);
    expect(elsewhere("the shared password")).toEqual({ signedIn: true });
  });

  it("two instances failing the same account at the same moment both count (one atomic upsert per failure)", async () => {
    const email = `race-${Date.now()}@example.com`;
    const other = createClient();
    try {
      await Promise.all(Array.from({ length: 10 }, (_, i) => recordSignInFailure(email, null, Date.now(), i % 2 ? other : db)));
      expect(await db.signInThrottle.findUniqueOrThrow({ where: { key: `account:${email}` } })).toMatchObject({ failures: 10 });
      expect(await signInRetryAfterMs(email, null)).toBeGreaterThan(0);
    } finally {
      await other.$disconnect();
    }
  });

  it("believes the client-address header only with the signature scripts/serve.mjs adds: a forged one is not recorded and does not dodge the address limit", async () => {
    const email = `forged-${Date.now()}@example.com`;
    const authorize = credentialsAuthorize();
    // What a client can send to a portal served by plain `next start`: the header, without (or with a wrong) signature.
    expect(
      await authorize({ email, password: "x" }, { headers: { "user-agent": "vitest", "x-crossline-client-ip": "192.0.2.66" } }),
    ).toBeNull();
    expect(
      await authorize(
        { email, password: "x" },
        {
          headers: {
            "user-agent": "vitest",
            "x-crossline-client-ip": "192.0.2.67",
            "x-crossline-client-ip-sig": signClientIp("192.0.2.67", "a-key-the-attacker-chose-0123456789abcdef"),
          },
        },
      ),
    ).toBeNull();
    const events = await db.auditEvent.findMany({ where: { action: "auth.signin", actorEmail: email } });
    expect(events.map((e) => e.ip)).toEqual([null, null]);
    expect(await db.signInThrottle.count({ where: { key: { in: ["address:192.0.2.66", "address:192.0.2.67"] } } })).toBe(0);
  });

  it("refuses the first-start one-time password after it expired, saying how to get a new one", async () => {
    const email = `otp-${Date.now()}@example.com`;
    const user = await db.user.create({
      data: {
        email,
        role: "admin",
        mustChangePassword: true,
        passwordHash: await hashPassword("printed once at first start"),
        passwordExpiresAt: new Date(Date.now() - 1000),
      },
    });
    const authorize = credentialsAuthorize();
    await expect(authorize({ email, password: "printed once at first start" }, reqFrom(uniqueIp()))).rejects.toThrow("PasswordExpired");
    const refusal = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.signin", actorEmail: email }, orderBy: { seq: "desc" } });
    expect(refusal).toMatchObject({ outcome: "failure" });
    expect(JSON.parse(refusal.details)).toMatchObject({ reason: "one-time password expired" });
    // Before the expiry it works (and a wrong password is still just wrong).
    await db.user.update({ where: { id: user.id }, data: { passwordExpiresAt: new Date(Date.now() + 3600_000) } });
    expect(await authorize({ email, password: "wrong" }, reqFrom(uniqueIp()))).toBeNull();
    expect(await authorize({ email, password: "printed once at first start" }, reqFrom(uniqueIp()))).toMatchObject({ id: user.id });
    const { PASSWORD_EXPIRED_MESSAGE } = await import("@/lib/auth/one-time-password");
    expect(PASSWORD_EXPIRED_MESSAGE).toContain("npm run admin:reset-demo-password");
  });
});

describe("sessions", () => {
  const callbacks = () => authOptions().callbacks!;
  const refresh = (token: JWT) => callbacks().jwt!({ token } as never) as Promise<JWT>;

  async function signedIn(role: "viewer" | "admin" = "viewer") {
    const user = await db.user.create({
      data: { email: `sess-${Date.now()}-${n++}@example.com`, role, passwordHash: await hashPassword("a password for sessions") },
    });
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
    expect(await signInOidcUser(sso(a, `sub-a-${a}`, { name: "A", role: "engineer" }))).toMatchObject({
      email: a,
      role: "engineer",
      authProvider: "oidc",
      oidcIssuer: ISS,
      oidcSubject: `sub-a-${a}`,
    });
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
    expect(await signInOidcUser(sso(email, `sub-evil-${Date.now()}`, { role: "viewer" }))).toEqual({ refused: "SsoLocalAccount" });
    expect(await signInOidcUser(sso(`new-${email}`, `sub-unverified-${Date.now()}`, { emailVerified: false }))).toEqual({
      refused: "SsoEmailUnverified",
    });
    expect(await signInOidcUser(sso(`new2-${email}`, `sub-unverified2-${Date.now()}`, { emailVerified: "true" }))).toEqual({
      refused: "SsoEmailUnverified",
    });
    expect(await db.user.count({ where: { email: { in: [`new-${email}`, `new2-${email}`] } } })).toBe(0);
    expect(await db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ authProvider: "local", oidcSubject: null });
    const refusal = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.signin", actorEmail: email }, orderBy: { seq: "desc" } });
    expect(JSON.parse(refusal.details)).toMatchObject({ reason: expect.stringContaining("local account") });
  });

  it("refuses a disabled user and a profile without an email", async () => {
    const email = `sso-c-${Date.now()}@example.com`;
    await signInOidcUser(sso(email, `sub-c-${email}`, { role: "viewer" }));
    await db.user.update({ where: { email }, data: { disabled: true } });
    expect(await signInOidcUser(sso(email, `sub-c-${email}`, { role: "viewer" }))).toEqual({ refused: "SsoDisabled" });
    expect(await signInOidcUser(sso(null, `sub-none-${email}`))).toEqual({ refused: "SsoNoEmail" });
    expect(await db.auditEvent.count({ where: { action: "auth.signin", actorEmail: email, outcome: "failure" } })).toBe(1);
  });
});
