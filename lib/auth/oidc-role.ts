import { isRole, ROLES, type Role } from "./roles";

/**
 * The portal role an OIDC profile maps to: the highest of admin > engineer > viewer named in the claim
 * (a string, or an array such as `groups`), or null when the claim names none of them.
 */
export function roleFromClaim(profile: Record<string, unknown>, claim: string): Role | null {
  const raw = profile[claim];
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string").map((v) => v.toLowerCase());
  return ROLES.find((r) => values.includes(r) && isRole(r)) ?? null;
}
