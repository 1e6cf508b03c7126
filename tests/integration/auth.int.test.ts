import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { authOptions } from "@/lib/auth/options";
import { signInOidcUser } from "@/lib/auth/oidc-user";

type Authorize = (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<{ id: string; role: string } | null>;

function credentialsAuthorize(): Authorize {
  const provider = authOptions().providers.find((p) => p.id === "credentials") as unknown as { options: { authorize: Authorize } };
  return provider.options.authorize;
}

const req = { headers: { "user-agent": "vitest", "x-forwarded-for": "10.0.0.7" } };

describe("sign-in with email and password", () => {
  it("accepts the right password, refuses a wrong one and a disabled user, and audits each attempt", async () => {
    const email = `local-${Date.now()}@example.com`;
    const user = await db.user.create({ data: { email, role: "engineer", passwordHash: await hashPassword("correct horse battery") } });
    const authorize = credentialsAuthorize();

    expect(await authorize({ email, password: "correct horse battery" }, req)).toMatchObject({ id: user.id, role: "engineer" });
    expect(await authorize({ email, password: "wrong" }, req)).toBeNull();
    expect(await authorize({ email: "nobody@example.com", password: "x" }, req)).toBeNull();
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
    expect(await db.auditEvent.count({ where: { action: "auth.signin", actorEmail: "nobody@example.com", outcome: "failure" } })).toBeGreaterThan(0);
  });
});

describe("sign-in with OIDC", () => {
  it("creates the user on first sign-in with the claimed role, else the default role; later sign-ins keep the portal's role", async () => {
    const a = `sso-a-${Date.now()}@example.com`;
    const b = `sso-b-${Date.now()}@example.com`;
    expect(await signInOidcUser({ email: a, name: "A", role: "engineer" })).toMatchObject({ email: a, role: "engineer", authProvider: "oidc" });
    expect(await signInOidcUser({ email: b, name: "B", role: null })).toMatchObject({ email: b, role: "viewer" });
    await db.user.update({ where: { email: b }, data: { role: "admin" } });
    expect(await signInOidcUser({ email: b.toUpperCase(), role: null })).toMatchObject({ email: b, role: "admin" });
    const first = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.signin", actorEmail: a } });
    expect(JSON.parse(first.details)).toMatchObject({ provider: "oidc", firstSignIn: true });
  });

  it("refuses a disabled user and a profile without an email", async () => {
    const email = `sso-c-${Date.now()}@example.com`;
    await signInOidcUser({ email, role: "viewer" });
    await db.user.update({ where: { email }, data: { disabled: true } });
    expect(await signInOidcUser({ email, role: "viewer" })).toBeNull();
    expect(await signInOidcUser({ email: null })).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "auth.signin", actorEmail: email, outcome: "failure" } })).toBe(1);
  });
});
