import "server-only";
import { cookies } from "next/headers";
import { decode, encode } from "next-auth/jwt";
import { env } from "@/lib/config/env";

/** next-auth's session cookie name: `__Secure-` prefixed when the portal is served over https. */
function cookieName() {
  const secure = (env().NEXTAUTH_URL ?? "").startsWith("https://");
  return { name: `${secure ? "__Secure-" : ""}next-auth.session-token`, secure };
}

/**
 * After this user's own password change bumped their session version: re-issue THIS browser's cookie with the
 * new version (same start time, so the absolute lifetime still counts from sign-in); other sessions stay ended.
 */
export async function reissueSession(sessionVersion: number): Promise<void> {
  const e = env();
  const { name, secure } = cookieName();
  const jar = await cookies();
  const raw = jar.get(name)?.value;
  if (!raw || !e.NEXTAUTH_SECRET) return;
  const token = await decode({ token: raw, secret: e.NEXTAUTH_SECRET });
  if (!token) return;
  const maxAge = e.SESSION_MAX_AGE_HOURS * 3600;
  const value = await encode({ token: { ...token, sv: sessionVersion }, secret: e.NEXTAUTH_SECRET, maxAge });
  jar.set(name, value, { httpOnly: true, sameSite: "lax", path: "/", secure, maxAge });
}
