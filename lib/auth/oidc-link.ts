/**
 * Which portal user an OIDC identity is. Identities are keyed by issuer + subject (the `sub` claim never
 * changes and is never reassigned; an email can be). Never merged into a local account automatically: a
 * person whose email already has a local (password) account must have an admin sort it out.
 */
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
  | { kind: "refuse"; reason: string; user?: U }
  | { kind: "existing"; user: U }
  /** An SSO user created before identities were keyed by subject (no subject stored): linked once, by email. */
  | { kind: "claim-legacy"; user: U }
  | { kind: "create" };

export function oidcDecision<U extends OidcCandidate>(identity: OidcIdentity, bySubject: U | null, byEmail: U | null): OidcDecision<U> {
  if (!identity.subject) return { kind: "refuse", reason: "no subject claim" };
  if (bySubject) return bySubject.disabled ? { kind: "refuse", reason: "account disabled", user: bySubject } : { kind: "existing", user: bySubject };
  if (!identity.email) return { kind: "refuse", reason: "no email claim" };
  if (identity.emailVerified !== true) return { kind: "refuse", reason: "email not verified by the identity provider" };
  if (!byEmail) return { kind: "create" };
  if (byEmail.authProvider === "oidc" && !byEmail.oidcSubject) {
    return byEmail.disabled ? { kind: "refuse", reason: "account disabled", user: byEmail } : { kind: "claim-legacy", user: byEmail };
  }
  return { kind: "refuse", reason: byEmail.authProvider === "oidc" ? "email belongs to another single-sign-on identity" : "email belongs to a local account (never merged automatically)", user: byEmail };
}
