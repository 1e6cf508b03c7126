/**
 * Whether a session token still stands, checked on every request (and every /api/auth/session call):
 * - its user exists, is enabled and has a valid role;
 * - its session version equals the user's (sign-out, password change or reset, role change and disable bump
 *   the user's version, ending every older session at once);
 * - it was issued (at sign-in) less than the session lifetime ago. Renewing the cookie never moves `authAt`,
 *   so the lifetime is absolute.
 */
export interface SessionClaims {
  uid?: unknown;
  sv?: unknown;
  authAt?: unknown;
}

export interface SessionUser {
  sessionVersion: number;
  disabled: boolean;
}

export type SessionProblem = "no user" | "disabled" | "revoked" | "expired";

export function sessionProblem(claims: SessionClaims, user: SessionUser | null, now: number, maxAgeMs: number): SessionProblem | null {
  if (!user) return "no user";
  if (user.disabled) return "disabled";
  if (typeof claims.sv !== "number" || claims.sv !== user.sessionVersion) return "revoked";
  if (typeof claims.authAt !== "number" || now - claims.authAt >= maxAgeMs || claims.authAt > now + 60_000) return "expired";
  return null;
}
