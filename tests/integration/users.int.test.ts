// User administration against the real database: every change audited in its own transaction, refusals
// audited, and the rules that keep the portal administrable (no self-lockout, never zero active admins),
// including two admins demoting each other at the same moment.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { verifyPassword } from "@/lib/auth/password";
import type { CurrentUser } from "@/lib/auth/session";
import { changeRole, createUser, resetPassword, setDisabled } from "@/lib/users/service";
import { activeAdminCount, assertActiveAdminRemains } from "@/lib/users/guards";
import { verifyChain } from "@/lib/audit/verify";

const client = { ip: "10.0.0.9", userAgent: "vitest-users" };
let n = 0;
const unique = (p: string) => `${p}-${Date.now()}-${n++}@example.com`;

async function makeUser(
  role: "admin" | "engineer" | "viewer",
  extra: { disabled?: boolean; authProvider?: string } = {},
): Promise<CurrentUser> {
  const u = await db.user.create({ data: { email: unique(role), role, ...extra } });
  return { id: u.id, email: u.email, name: null, role };
}
const ctx = (user: CurrentUser) => ({ user, client });
const lastEvent = () => db.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });

/** Leaves exactly the given admins active (test set-up only; the application never does this). */
async function onlyAdmins(...ids: string[]) {
  await db.user.updateMany({ where: { role: "admin", id: { notIn: ids } }, data: { role: "viewer" } });
}

describe("creating users", () => {
  it("creates a local user with a hashed set password and audits it in the same transaction", async () => {
    const admin = await makeUser("admin");
    const email = unique("new");
    const before = await db.auditEvent.count();
    const r = await createUser(
      { email, name: "New Person", role: "engineer", passwordMode: "set", password: "correct horse battery" },
      ctx(admin),
    );
    expect(r.generatedPassword).toBeUndefined();
    const stored = await db.user.findUniqueOrThrow({ where: { id: r.id } });
    expect(stored).toMatchObject({ email, role: "engineer", authProvider: "local", disabled: false });
    expect(await verifyPassword("correct horse battery", stored.passwordHash!)).toBe(true);
    expect(await db.auditEvent.count()).toBe(before + 1);
    const e = await lastEvent();
    expect(e).toMatchObject({
      action: "users.create",
      outcome: "success",
      targetType: "user",
      targetId: r.id,
      actorEmail: admin.email,
      ip: "10.0.0.9",
      userAgent: "vitest-users",
    });
    expect(e.details).not.toContain("correct horse");
  });

  it("generates a password that is returned once and works", async () => {
    const admin = await makeUser("admin");
    const r = await createUser({ email: unique("gen"), name: null, role: "viewer", passwordMode: "generate" }, ctx(admin));
    expect(r.generatedPassword).toMatch(/^[\w-]{24}$/);
    const stored = await db.user.findUniqueOrThrow({ where: { id: r.id } });
    expect(await verifyPassword(r.generatedPassword!, stored.passwordHash!)).toBe(true);
    expect((await lastEvent()).details).not.toContain(r.generatedPassword!);
  });

  it("refuses a duplicate email with a field error, creates nothing, and audits the failure", async () => {
    const admin = await makeUser("admin");
    const existing = await makeUser("viewer");
    const count = await db.user.count();
    await expect(
      createUser({ email: existing.email, name: null, role: "admin", passwordMode: "generate" }, ctx(admin)),
    ).rejects.toMatchObject({ fieldErrors: { email: [expect.stringContaining("already has an account")] } });
    expect(await db.user.count()).toBe(count);
    expect(await lastEvent()).toMatchObject({ action: "users.create", outcome: "failure", actorEmail: admin.email });
  });
});

describe("roles, disabling and passwords", () => {
  it("changes a role and re-enables, auditing each change; a no-op writes nothing", async () => {
    const admin = await makeUser("admin");
    const target = await makeUser("viewer");
    await changeRole(target.id, "engineer", ctx(admin));
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("engineer");
    expect(await lastEvent()).toMatchObject({
      action: "users.setRole",
      outcome: "success",
      targetId: target.id,
      details: JSON.stringify({ email: target.email, from: "viewer", to: "engineer" }),
    });
    const count = await db.auditEvent.count();
    expect(await changeRole(target.id, "engineer", ctx(admin))).toEqual({ changed: false });
    expect(await db.auditEvent.count()).toBe(count);
    await setDisabled(target.id, true, ctx(admin));
    expect(await lastEvent()).toMatchObject({ action: "users.disable", outcome: "success" });
    await setDisabled(target.id, false, ctx(admin));
    expect(await lastEvent()).toMatchObject({ action: "users.enable", outcome: "success" });
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).disabled).toBe(false);
  });

  it("refuses self-demotion and self-disabling even when other admins exist, and audits the refusal", async () => {
    const me = await makeUser("admin");
    await makeUser("admin");
    await expect(changeRole(me.id, "viewer", ctx(me))).rejects.toThrow(/cannot change your own role/);
    expect(await lastEvent()).toMatchObject({
      action: "users.setRole",
      outcome: "denied",
      targetId: me.id,
      details: expect.stringContaining("self-demote"),
    });
    await expect(setDisabled(me.id, true, ctx(me))).rejects.toThrow(/cannot disable your own account/);
    expect(await lastEvent()).toMatchObject({
      action: "users.disable",
      outcome: "denied",
      details: expect.stringContaining("self-disable"),
    });
    expect(await db.user.findUniqueOrThrow({ where: { id: me.id } })).toMatchObject({ role: "admin", disabled: false });
  });

  it("refuses changes by a caller who is not (or no longer) an active admin, and audits them as denied", async () => {
    const engineer = await makeUser("engineer");
    const target = await makeUser("viewer");
    await expect(changeRole(target.id, "admin", ctx({ ...engineer, role: "admin" }))).rejects.toThrow(/does not allow/);
    expect(await lastEvent()).toMatchObject({
      action: "users.setRole",
      outcome: "denied",
      actorEmail: engineer.email,
      details: expect.stringContaining("no longer an active admin"),
    });
    const disabledAdmin = await makeUser("admin", { disabled: true });
    await expect(setDisabled(target.id, true, ctx(disabledAdmin))).rejects.toThrow(/does not allow/);
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("viewer");
  });

  it("resets a local password and refuses for single sign-on users", async () => {
    const admin = await makeUser("admin");
    const local = await makeUser("viewer");
    const { generatedPassword } = await resetPassword({ id: local.id, passwordMode: "generate" }, ctx(admin));
    expect(await verifyPassword(generatedPassword!, (await db.user.findUniqueOrThrow({ where: { id: local.id } })).passwordHash!)).toBe(
      true,
    );
    expect(await lastEvent()).toMatchObject({ action: "users.resetPassword", outcome: "success", targetId: local.id });
    const sso = await makeUser("viewer", { authProvider: "oidc" });
    await expect(resetPassword({ id: sso.id, passwordMode: "set", password: "a long password!" }, ctx(admin))).rejects.toThrow(
      /single sign-on/,
    );
    expect(await lastEvent()).toMatchObject({ action: "users.resetPassword", outcome: "failure", targetId: sso.id });
  });
});

describe("the last active admin", () => {
  it("the guard refuses a state with no active admin, inside the transaction, which then rolls back", async () => {
    const only = await makeUser("admin");
    await onlyAdmins(only.id);
    await expect(
      db.$transaction(async (tx) => {
        await tx.user.update({ where: { id: only.id }, data: { disabled: true } });
        await assertActiveAdminRemains(tx);
      }),
    ).rejects.toThrow(/last active admin/);
    expect(await db.user.findUniqueOrThrow({ where: { id: only.id } })).toMatchObject({ disabled: false });
  });

  it("a re-enabled or promoted disabled admin does not count until active", async () => {
    const a = await makeUser("admin");
    await makeUser("admin", { disabled: true });
    await onlyAdmins(a.id);
    expect(await db.$transaction((tx) => activeAdminCount(tx))).toBe(1);
  });

  it("two admins demoting each other at the same moment leave exactly one admin", async () => {
    for (let round = 0; round < 5; round++) {
      const a = await makeUser("admin");
      const b = await makeUser("admin");
      await onlyAdmins(a.id, b.id);
      const results = await Promise.allSettled([changeRole(b.id, "viewer", ctx(a)), changeRole(a.id, "viewer", ctx(b))]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason.message).toMatch(/does not allow|last active admin/);
      expect(await db.user.count({ where: { role: "admin", disabled: false } })).toBe(1);
    }
  });

  it("two admins disabling each other at the same moment leave exactly one active admin", async () => {
    const a = await makeUser("admin");
    const b = await makeUser("admin");
    await onlyAdmins(a.id, b.id);
    const results = await Promise.allSettled([setDisabled(b.id, true, ctx(a)), setDisabled(a.id, true, ctx(b))]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.user.count({ where: { role: "admin", disabled: false } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "users.disable", outcome: "denied", targetId: { in: [a.id, b.id] } } })).toBe(1);
  });

  it("leaves the chain intact after all of the above", async () => {
    expect(await verifyChain()).toMatchObject({ intact: true });
  });
});
