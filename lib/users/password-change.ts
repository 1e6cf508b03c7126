import "server-only";
import { db } from "@/lib/db";
import { inTransactionWithAudit, recordAudit } from "@/lib/audit/append";
import type { CurrentUser } from "@/lib/auth/session";
import type { ActorContext } from "@/lib/core/actor";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { recordSignInFailure, signInRetryAfterMs } from "@/lib/auth/sign-in-throttle";
import { UserFacingError } from "@/lib/core/errors";
import type { ChangeOwnPasswordInput } from "./schemas";

/**
 * A signed-in local user changes their own password: the current one is required (a wrong one counts as a
 * failed sign-in for the account's backoff), the new one is stored, the must-change flag clears, and the
 * session version moves on so every other session of the user ends. Returns the new version so the caller can
 * re-issue this browser's session.
 */
export async function changeOwnPassword(
  input: ChangeOwnPasswordInput,
  ctx: ActorContext<CurrentUser>,
): Promise<{ sessionVersion: number }> {
  const wait = await signInRetryAfterMs(ctx.user.email, null);
  if (wait > 0) throw new UserFacingError(`Too many wrong passwords for this account. Try again in ${Math.ceil(wait / 1000)} s.`);
  const user = await db.user.findUnique({ where: { id: ctx.user.id } });
  if (!user?.passwordHash || user.authProvider !== "local")
    throw new UserFacingError("You sign in through single sign-on: change your password with your identity provider.");
  if (!(await verifyPassword(input.current, user.passwordHash))) {
    await recordSignInFailure(ctx.user.email, null);
    await recordAudit({
      actor: ctx.user,
      action: "account.changePassword",
      target: { type: "user", id: user.id },
      outcome: "failure",
      details: { reason: "wrong current password" },
      client: ctx.client,
    });
    throw new UserFacingError("Please correct the highlighted fields.", { current: ["This is not your current password."] });
  }
  const passwordHash = await hashPassword(input.password);
  return inTransactionWithAudit(async (tx) => {
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, mustChangePassword: false, passwordExpiresAt: null, sessionVersion: { increment: 1 } },
      select: { sessionVersion: true },
    });
    return {
      result: updated,
      audit: {
        actor: ctx.user,
        action: "account.changePassword",
        target: { type: "user", id: user.id },
        outcome: "success",
        details: { email: user.email, wasRequired: user.mustChangePassword },
        client: ctx.client,
      },
    };
  });
}
