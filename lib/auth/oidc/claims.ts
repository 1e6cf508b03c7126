import { roleFromClaim } from "../oidc-role";
import type { Role } from "../roles";

/** The claims the portal reads about an SSO user at every sign-in. */
export interface OidcClaims {
  issuer: string;
  subject: string;
  email: string | null;
  /** `email_verified` as the IdP sent it: only `true` counts (lib/auth/oidc-link.ts). */
  emailVerified: unknown;
  name: string | null;
  /** The portal role the role claim names, or null when it names none. */
  role: Role | null;
  /** The values of OIDC_TEAM_CLAIM (e.g. `groups`) when configured and sent; null otherwise. Team membership reads this. */
  groups: string[] | null;
}

export interface ClaimSettings {
  /** OIDC_ISSUER: used when the claims carry no `iss` (UserInfo responses usually do not). */
  issuer: string;
  roleClaim: string;
  teamClaim?: string | null;
}

type Claims = Record<string, unknown>;

/**
 * One set of claims from the ID token and the UserInfo response. In the authorization-code flow a conforming
 * provider releases the `email`/`profile` scope claims from UserInfo only (OpenID Connect Core 5.4), so UserInfo
 * wins where both have a claim; the ID token's `iss` and `sub` are kept (the UserInfo `sub` is checked against
 * it by openid-client before this is called).
 */
export function mergeClaims(idToken: Claims, userinfo: Claims | null): Claims {
  return { ...idToken, ...(userinfo ?? {}), iss: idToken.iss, sub: idToken.sub };
}

const text = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : null);

function strings(v: unknown): string[] | null {
  if (typeof v === "string") return v.trim() ? [v.trim()] : [];
  if (!Array.isArray(v)) return null;
  return v.filter((x): x is string => typeof x === "string" && x.trim() !== "").map((x) => x.trim());
}

/** What the portal reads from an SSO user's merged claims (see mergeClaims). */
export function readOidcClaims(claims: Claims, settings: ClaimSettings): OidcClaims {
  return {
    issuer: text(claims.iss) ?? settings.issuer,
    subject: typeof claims.sub === "string" ? claims.sub : "",
    email: text(claims.email),
    emailVerified: claims.email_verified,
    name: text(claims.name) ?? ([text(claims.given_name), text(claims.family_name)].filter(Boolean).join(" ") || null),
    role: roleFromClaim(claims, settings.roleClaim),
    groups: settings.teamClaim ? strings(claims[settings.teamClaim]) : null,
  };
}
