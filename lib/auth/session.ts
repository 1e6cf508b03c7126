import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { db } from "@/lib/db";
import { env } from "@/lib/config/env";
import { authOptions } from "./options";
import { isRole, type Role } from "./roles";
import { sessionProblem, type SessionClaims } from "./session-policy";

export interface CurrentUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  /** "local" (password) or "oidc" (single sign-on). */
  authProvider?: string;
  /** A generated password still in use: every page sends them to /account/password until they change it. */
  mustChangePassword?: boolean;
}

/**
 * The signed-in user, re-read from the database on every request (cached for the request), so a disabled
 * user, a changed role or a revoked session (lib/auth/session-policy.ts) takes effect at once rather than when
 * the session cookie expires.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(authOptions());
  const claims = (session?.user ?? {}) as SessionClaims & { id?: string };
  if (!claims.id) return null;
  const user = await db.user.findUnique({ where: { id: claims.id } });
  if (!user || !isRole(user.role) || sessionProblem(claims, user, Date.now(), env().SESSION_MAX_AGE_HOURS * 3600_000)) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    authProvider: user.authProvider,
    mustChangePassword: user.mustChangePassword,
  };
});
