import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/config/env";
import { inTransactionWithAudit, recordAudit } from "@/lib/audit/append";
import { isRole } from "./roles";

/**
 * Finds or creates the local user behind an OIDC sign-in. A new user gets the role named by the role claim,
 * else OIDC_DEFAULT_ROLE; afterwards the role is managed in the portal. Disabled users are refused.
 */
export async function signInOidcUser(profile: { email?: string | null; name?: string | null; role?: string | null }) {
  const email = profile.email?.toLowerCase().trim();
  if (!email) {
    await recordAudit({ actor: null, action: "auth.signin", outcome: "failure", details: { provider: "oidc", reason: "no email claim" } });
    return null;
  }
  const existing = await db.user.findUnique({ where: { email } });
  if (existing?.disabled) {
    await recordAudit({ actor: existing, action: "auth.signin", target: { type: "user", id: existing.id }, outcome: "failure", details: { provider: "oidc", reason: "account disabled" } });
    return null;
  }
  return inTransactionWithAudit(async (tx) => {
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: { lastSignInAt: new Date() } })
      : await tx.user.create({
          data: { email, name: profile.name ?? null, role: isRole(profile.role) ? profile.role : env().OIDC_DEFAULT_ROLE, authProvider: "oidc", lastSignInAt: new Date() },
        });
    const audit = [{ actor: user, action: "auth.signin", target: { type: "user", id: user.id }, outcome: "success" as const, details: { provider: "oidc", firstSignIn: !existing } }];
    return { result: user, audit };
  });
}
