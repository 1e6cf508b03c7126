import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/config/env";
import { inTransactionWithAudit, recordAudit } from "@/lib/audit/append";
import type { AuditClient } from "@/lib/audit/types";
import { isRole } from "./roles";
import { oidcDecision, type OidcIdentity } from "./oidc-link";
import type { SsoRefusal } from "./oidc/refusals";

/** The role a user without one carries in the database: no page, action or route allows it. */
export const NO_ROLE = "none";

/** A refused SSO sign-in, with the code the sign-in page turns into words (lib/auth/oidc/refusals.ts). */
export interface OidcRefusal {
  refused: SsoRefusal;
}

/**
 * Finds or creates the portal user behind an OIDC sign-in, by issuer + subject (lib/auth/oidc-link.ts decides).
 * A new user gets the role named by the role claim, else OIDC_DEFAULT_ROLE. At later sign-ins a role claim that
 * names a portal role replaces the user's role (so a change at the IdP takes effect at the next sign-in); a claim
 * that names none leaves the role assigned in the portal. Disabled users, unverified emails and emails that
 * belong to another account are refused with a code saying why (audited with the client's address).
 * With OIDC_DEFAULT_ROLE `none` (the default) a new user without a claimed role is recorded with no role, so
 * admins find them under Users, and every sign-in is refused ({ refused: "NoRole" }, audited) until an admin
 * assigns one.
 */
export async function signInOidcUser(identity: OidcIdentity & { name?: string | null; role?: string | null }, client: AuditClient = {}) {
  const email = identity.email?.toLowerCase().trim() || null;
  const [bySubject, byEmail] = await Promise.all([
    identity.subject
      ? db.user.findUnique({ where: { oidcIssuer_oidcSubject: { oidcIssuer: identity.issuer, oidcSubject: identity.subject } } })
      : null,
    email ? db.user.findUnique({ where: { email } }) : null,
  ]);
  const decision = oidcDecision({ ...identity, email }, bySubject, byEmail);
  const details = { provider: "oidc", issuer: identity.issuer, subject: identity.subject, email };
  if (decision.kind === "refuse") {
    const who = decision.user ?? null;
    await recordAudit({
      actor: who ?? { email },
      action: "auth.signin",
      target: { type: "user", id: who?.id ?? email ?? identity.subject },
      outcome: "failure",
      details: { ...details, reason: decision.reason },
      client,
    });
    return { refused: decision.code } satisfies OidcRefusal;
  }
  const claimed = isRole(identity.role) ? identity.role : null;
  const signedIn = await inTransactionWithAudit(async (tx) => {
    const before = decision.kind === "create" ? null : decision.user;
    const user =
      decision.kind === "create"
        ? await tx.user.create({
            data: {
              email: email!,
              name: identity.name ?? null,
              role: claimed ?? env().OIDC_DEFAULT_ROLE,
              authProvider: "oidc",
              oidcIssuer: identity.issuer,
              oidcSubject: identity.subject,
              lastSignInAt: new Date(),
            },
          })
        : await tx.user.update({
            where: { id: decision.user.id },
            data: {
              lastSignInAt: new Date(),
              oidcIssuer: identity.issuer,
              oidcSubject: identity.subject,
              ...(claimed ? { role: claimed } : {}),
            },
          });
    const roleChanged = before && claimed && before.role !== claimed ? { from: before.role, to: claimed } : null;
    const roleless = !isRole(user.role);
    const audit = [
      {
        actor: user,
        action: "auth.signin",
        target: { type: "user", id: user.id },
        outcome: roleless ? ("failure" as const) : ("success" as const),
        client,
        details: {
          ...details,
          firstSignIn: decision.kind === "create",
          linked: decision.kind === "claim-legacy",
          ...(roleChanged ? { roleFromClaim: roleChanged } : {}),
          ...(roleless ? { reason: "no role assigned: an admin must assign one" } : {}),
        },
      },
    ];
    return { result: user, audit };
  });
  if (!isRole(signedIn.role)) return { refused: "NoRole" } satisfies OidcRefusal;
  return signedIn;
}
