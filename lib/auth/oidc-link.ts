/**
 * Which portal user an OIDC identity is. Identities are keyed by issuer + subject (the `sub` claim never
 * changes and is never reassigned; an email can be). Never merged into a local account automatically: a
 * person whose email already has a local (password) account must have an admin sort it out.
 */
import type { SsoRefusal } from "./oidc/refusals";

export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  /** The `email_verified` claim as the IdP sent it: only `true` counts. */
  emailVerified: unknown;
}

export interface OidcCandidate {
  id: string;
  email: string;
  authProvider: string;
  disabled: boolean;
  oidcIssuer: string | null;
  oidcSubject: string | null;
}

export type OidcDecision<U extends OidcCandidate> =
  /** `reason` is for the audit; `code` is what the person is told (lib/auth/oidc/refusals.ts). */
  | { kind: "refuse"; reason: string; code: SsoRefusal; user?: U }
  | { kind: "existing"; user: U }
  /** An SSO user created before identities were keyed by subject (no subject stored): linked once, by email. */
  | { kind: "claim-legacy"; user: U }
  | { kind: "create" };

export function oidcDecision<U extends OidcCandidate>(identity: OidcIdentity, bySubject: U | null, byEmail: U | null): OidcDecision<U> {
  if (!identity.subject) return { kind: "refuse", reason: "no subject claim", code: "SsoFailed" };
  const disabled = (user: U) => ({ kind: "refuse", reason: "account disabled", code: "SsoDisabled", user }) as const;
  if (bySubject) return bySubject.disabled ? disabled(bySubject) : { kind: "existing", user: bySubject };
  if (!identity.email) return { kind: "refuse", reason: "no email claim", code: "SsoNoEmail" };
  if (identity.emailVerified !== true)
    return { kind: "refuse", reason: "email not verified by the identity provider", code: "SsoEmailUnverified" };
  if (!byEmail) return { kind: "create" };
  if (byEmail.authProvider === "oidc" && !byEmail.oidcSubject)
    return byEmail.disabled ? disabled(byEmail) : { kind: "claim-legacy", user: byEmail };
  return byEmail.authProvider === "oidc"
    ? { kind: "refuse", reason: "email belongs to another single-sign-on identity", code: "SsoEmailTaken", user: byEmail }
    : { kind: "refuse", reason: "email belongs to a local account (never merged automatically)", code: "SsoLocalAccount", user: byEmail };
}
