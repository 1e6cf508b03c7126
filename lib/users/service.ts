import "server-only";
import { db, type Tx } from "@/lib/db";
import { inTransactionWithAudit, recordAudit } from "@/lib/audit/append";
import type { AuditInput } from "@/lib/audit/types";
import type { CurrentUser } from "@/lib/auth/session";
import type { ActorContext } from "@/lib/core/actor";
import type { Role } from "@/lib/auth/roles";
import { hashPassword } from "@/lib/auth/password";
import { UserFacingError } from "@/lib/core/errors";
import { AdminRuleRefusal, assertActiveAdminRemains, assertActorIsActiveAdmin, refuseSelfLockout } from "./guards";
import { generatePassword } from "./generate-password";
import type { CreateUserInput, ResetPasswordInput } from "./schemas";

export type UserCtx = ActorContext<CurrentUser>;

type Audited = Omit<AuditInput, "actor" | "client">;

/**
 * Runs a user change and its audit event in one transaction; when a rule refuses it, the transaction rolls
 * back and the refusal is audited on its own, then re-thrown for the form to show.
 */
async function change<T>(ctx: UserCtx, refusal: Audited, work: (tx: Tx) => Promise<{ result: T; audit: Audited | Audited[] }>): Promise<T> {
  try {
    return await inTransactionWithAudit(async (tx) => {
      await assertActorIsActiveAdmin(tx, ctx.user.id);
      const { result, audit } = await work(tx);
      return { result, audit: ([] as Audited[]).concat(audit).map((a) => ({ ...a, actor: ctx.user, client: ctx.client })) };
    });
  } catch (e) {
    if (e instanceof UserFacingError) {
      const outcome = e instanceof AdminRuleRefusal ? e.outcome : "failure";
      const reason = e instanceof AdminRuleRefusal ? e.reason : e.message;
      await recordAudit({ ...refusal, outcome, details: { ...refusal.details, reason }, actor: ctx.user, client: ctx.client });
    }
    throw e;
  }
}

async function findOrRefuse(tx: Tx, id: string) {
  const user = await tx.user.findUnique({ where: { id } });
  if (!user) throw new UserFacingError("That user no longer exists.");
  return user;
}

function isUniqueViolation(e: unknown) {
  return (e as { code?: string })?.code === "P2002";
}

export async function createUser(input: CreateUserInput, ctx: UserCtx): Promise<{ id: string; email: string; generatedPassword?: string }> {
  const generated = input.passwordMode === "generate" ? generatePassword() : undefined;
  const passwordHash = await hashPassword(generated ?? input.password!);
  const refusal: Audited = {
    action: "users.create",
    target: { type: "user", id: input.email },
    outcome: "failure",
    details: { email: input.email, role: input.role },
  };
  try {
    const user = await change(ctx, refusal, async (tx) => {
      if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
        throw new UserFacingError("A user with this email already exists.", { email: [`${input.email} already has an account.`] });
      }
      const u = await tx.user.create({
        data: {
          email: input.email,
          name: input.name,
          role: input.role,
          passwordHash,
          authProvider: "local",
          mustChangePassword: !!generated,
        },
      });
      return {
        result: u,
        audit: {
          action: "users.create",
          target: { type: "user", id: u.id },
          outcome: "success",
          details: { email: u.email, name: u.name, role: u.role, passwordGenerated: !!generated },
        },
      };
    });
    return { id: user.id, email: user.email, generatedPassword: generated };
  } catch (e) {
    // Another process created the same email between our check and our insert.
    if (isUniqueViolation(e))
      throw new UserFacingError("A user with this email already exists.", { email: [`${input.email} already has an account.`] });
    throw e;
  }
}

export async function changeRole(id: string, role: Role, ctx: UserCtx) {
  const refusal: Audited = { action: "users.setRole", target: { type: "user", id }, outcome: "denied", details: { role } };
  return change(ctx, refusal, async (tx) => {
    const before = await findOrRefuse(tx, id);
    if (before.role === role) return { result: { changed: false }, audit: [] };
    if (before.role === "admin") refuseSelfLockout(ctx.user.id, id, "demote");
    // A role change ends the user's sessions: they sign in again under the new role.
    await tx.user.update({ where: { id }, data: { role, sessionVersion: { increment: 1 } } });
    await assertActiveAdminRemains(tx);
    return {
      result: { changed: true },
      audit: {
        action: "users.setRole",
        target: { type: "user", id },
        outcome: "success",
        details: { email: before.email, from: before.role, to: role },
      },
    };
  });
}

export async function setDisabled(id: string, disabled: boolean, ctx: UserCtx) {
  const action = disabled ? "users.disable" : "users.enable";
  const refusal: Audited = { action, target: { type: "user", id }, outcome: "denied", details: {} };
  return change(ctx, refusal, async (tx) => {
    const before = await findOrRefuse(tx, id);
    if (before.disabled === disabled) return { result: { changed: false }, audit: [] };
    if (disabled) refuseSelfLockout(ctx.user.id, id, "disable");
    await tx.user.update({ where: { id }, data: { disabled, sessionVersion: { increment: 1 } } });
    if (disabled) await assertActiveAdminRemains(tx);
    return {
      result: { changed: true },
      audit: { action, target: { type: "user", id }, outcome: "success", details: { email: before.email, role: before.role } },
    };
  });
}

export async function resetPassword(input: ResetPasswordInput, ctx: UserCtx): Promise<{ generatedPassword?: string }> {
  const generated = input.passwordMode === "generate" ? generatePassword() : undefined;
  const passwordHash = await hashPassword(generated ?? input.password!);
  const refusal: Audited = { action: "users.resetPassword", target: { type: "user", id: input.id }, outcome: "failure", details: {} };
  await change(ctx, refusal, async (tx) => {
    const user = await findOrRefuse(tx, input.id);
    if (user.authProvider !== "local")
      throw new UserFacingError(`${user.email} signs in through single sign-on; the portal holds no password for them.`);
    // Every session of the user ends; a generated password must be replaced at the next sign-in.
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, mustChangePassword: !!generated, passwordExpiresAt: null, sessionVersion: { increment: 1 } },
    });
    return {
      result: undefined,
      audit: {
        action: "users.resetPassword",
        target: { type: "user", id: user.id },
        outcome: "success",
        details: { email: user.email, passwordGenerated: !!generated },
      },
    };
  });
  return { generatedPassword: generated };
}

export function listUsers() {
  return db.user.findMany({
    orderBy: [{ disabled: "asc" }, { email: "asc" }],
    select: { id: true, email: true, name: true, role: true, authProvider: true, disabled: true, lastSignInAt: true, createdAt: true },
  });
}

export function getUser(id: string) {
  return db.user.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      authProvider: true,
      disabled: true,
      lastSignInAt: true,
      createdAt: true,
      updatedAt: true,
    },
  });
}
