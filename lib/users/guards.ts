import "server-only";
import type { Tx } from "@/lib/db";
import { UserFacingError } from "@/lib/core/errors";
import type { AuditOutcome } from "@/lib/audit/types";

/**
 * The rules that keep the portal administrable. They run inside the transaction that makes the change
 * (SQLite serializes writers, and a transaction that read stale data fails with SQLITE_BUSY and is retried),
 * and the last-admin rule is checked AFTER the write, on the state the transaction would commit — so two
 * admins demoting each other at the same moment cannot both succeed.
 */
export class AdminRuleRefusal extends UserFacingError {
  constructor(
    message: string,
    readonly reason: string,
    readonly outcome: AuditOutcome = "denied",
  ) {
    super(message);
  }
}

/** The caller must still be an active admin when the transaction runs (its role may have changed since the request was authorized). */
export async function assertActorIsActiveAdmin(tx: Tx, actorId: string) {
  const actor = await tx.user.findUnique({ where: { id: actorId }, select: { role: true, disabled: true } });
  if (!actor || actor.disabled || actor.role !== "admin")
    throw new AdminRuleRefusal("Your role does not allow this action.", "actor is no longer an active admin");
}

/**
 * Decision: an admin can never disable or demote their own account, even when other admins exist — another
 * admin must do it. This makes self-lockout impossible and leaves a second person's name on the audit trail.
 */
export function refuseSelfLockout(actorId: string, targetId: string, change: "demote" | "disable") {
  if (actorId !== targetId) return;
  throw new AdminRuleRefusal(
    change === "demote"
      ? "You cannot change your own role. Ask another admin to do it."
      : "You cannot disable your own account. Ask another admin to do it.",
    `self-${change}`,
  );
}

export async function activeAdminCount(tx: Tx): Promise<number> {
  return tx.user.count({ where: { role: "admin", disabled: false } });
}

/** After the write: at least one active admin must remain, else the whole transaction rolls back. */
export async function assertActiveAdminRemains(tx: Tx) {
  if ((await activeAdminCount(tx)) === 0) {
    throw new AdminRuleRefusal("This is the last active admin: make another user an admin first.", "last active admin");
  }
}
