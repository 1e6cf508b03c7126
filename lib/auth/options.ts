import "server-only";
import type { NextAuthOptions } from "next-auth";
import type { Provider } from "next-auth/providers/index";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "@/lib/db";
import { env, oidcEnabled } from "@/lib/config/env";
import { recordAudit } from "@/lib/audit/append";
import { DUMMY_HASH, verifyPassword } from "./password";
import { PASSWORD_EXPIRED_ERROR, passwordExpired } from "./one-time-password";
import type { AuditClient } from "@/lib/audit/types";
import { signInOidcUser } from "./oidc-user";
import { readOidcClaims, type ClaimSettings } from "./oidc/claims";
import { claimsAfterCodeExchange } from "./oidc/profile";
import { clientFromHeaders } from "./client-info";
import { safeCallbackUrl } from "./redirect";
import { sessionProblem, type SessionClaims } from "./session-policy";
import { recordSignInFailure, recordSignInSuccess, signInRetryAfterMs } from "./sign-in-throttle";

const credentialsSchema = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) });

/** Thrown by the jwt callback for a session that no longer stands: next-auth then clears the cookie. */
class SessionEnded extends Error {}

const credentials = CredentialsProvider({
  id: "credentials",
  name: "Email and password",
  credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
  async authorize(raw, req) {
    const client = clientFromHeaders((req?.headers ?? {}) as Record<string, unknown>);
    const parsed = credentialsSchema.safeParse(raw);
    const email = parsed.success ? parsed.data.email.toLowerCase() : String(raw?.email ?? "").slice(0, 254);
    // The route handler already answers 429 here; this keeps bcrypt off the path for any other caller.
    if ((await signInRetryAfterMs(email, client.ip ?? null)) > 0) return null;
    const user = parsed.success ? await db.user.findUnique({ where: { email } }) : null;
    // Unknown users are checked against a real hash of the same cost, so they take as long as a wrong password.
    const ok = parsed.success && (await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH)) && !!user?.passwordHash;
    if (!ok || !user || user.disabled) {
      const reason = !parsed.success
        ? "invalid input"
        : !user
          ? "unknown user"
          : user.disabled && ok
            ? "account disabled"
            : "wrong password";
      const lockMs = await recordSignInFailure(email, client.ip ?? null);
      await recordAudit({
        actor: { email, id: user?.id },
        action: "auth.signin",
        target: { type: "user", id: user?.id ?? email },
        outcome: "failure",
        details: { provider: "credentials", reason, ...(lockMs ? { throttledForSeconds: Math.ceil(lockMs / 1000) } : {}) },
        client,
      });
      return null;
    }
    if (passwordExpired(user)) {
      // The right one-time password, issued too long ago: not a guess (the account's backoff is untouched), but
      // refused with the way out. Thrown, so next-auth reports this code instead of CredentialsSignin.
      await recordAudit({
        actor: user,
        action: "auth.signin",
        target: { type: "user", id: user.id },
        outcome: "failure",
        details: { provider: "credentials", reason: "one-time password expired" },
        client,
      });
      throw new Error(PASSWORD_EXPIRED_ERROR);
    }
    await recordSignInSuccess(email);
    await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    await recordAudit({
      actor: user,
      action: "auth.signin",
      target: { type: "user", id: user.id },
      outcome: "success",
      details: { provider: "credentials" },
      client,
    });
    return { id: user.id, email: user.email, name: user.name, role: user.role };
  },
});

function claimSettings(): ClaimSettings {
  const e = env();
  return { issuer: e.OIDC_ISSUER!, roleClaim: e.OIDC_ROLE_CLAIM, teamClaim: e.OIDC_TEAM_CLAIM ?? null };
}

function oidcProvider(): Provider {
  const e = env();
  return {
    id: "oidc",
    name: e.OIDC_NAME,
    type: "oauth",
    wellKnown: `${e.OIDC_ISSUER!.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    client: { token_endpoint_auth_method: e.OIDC_CLIENT_AUTH_METHOD },
    authorization: { params: { scope: e.OIDC_SCOPES } },
    idToken: true,
    checks: ["pkce", "state"],
    // The claims come from UserInfo as well as the ID token (lib/auth/oidc/profile.ts).
    userinfo: { request: claimsAfterCodeExchange },
    profile(profile: Record<string, unknown>) {
      const claims = readOidcClaims(profile, claimSettings());
      return { id: claims.subject, email: claims.email ?? "", name: claims.name, role: claims.role };
    },
  } as Provider;
}

/** `client`: the caller's address and user agent (app/api/auth/[...nextauth]/route.ts), for the SSO audit events. */
export function authOptions({ client = {} }: { client?: AuditClient } = {}): NextAuthOptions {
  const e = env();
  const maxAgeMs = e.SESSION_MAX_AGE_HOURS * 3600_000;
  return {
    secret: e.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: e.SESSION_MAX_AGE_HOURS * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: oidcEnabled() ? [credentials, oidcProvider()] : [credentials],
    logger: {
      // A revoked or expired session is routine, not an error worth a stack trace.
      error(code, meta) {
        if (code === "JWT_SESSION_ERROR" && ((meta as { error?: unknown })?.error instanceof SessionEnded || meta instanceof SessionEnded))
          return;
        console.error(`[next-auth][error][${code}]`, meta);
      },
      warn(code) {
        console.warn(`[next-auth][warn][${code}]`);
      },
      debug() {},
    },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc") return true;
        const claims = readOidcClaims((profile ?? {}) as Record<string, unknown>, claimSettings());
        // Team membership from claims.groups (OIDC_TEAM_CLAIM) is applied here once teams exist.
        const local = await signInOidcUser(
          { ...claims, subject: account.providerAccountId, role: claims.role ?? (user as { role?: string | null }).role ?? null },
          client,
        );
        if ("refused" in local) return `/signin?error=${local.refused}`;
        user.id = local.id;
        return true;
      },
      async redirect({ url, baseUrl }) {
        return new URL(safeCallbackUrl(url, baseUrl), baseUrl).toString();
      },
      async jwt({ token, user, account }) {
        if (user) {
          // Sign-in: the session carries the user's current version and the time it started.
          const u = await db.user.findUnique({ where: { id: user.id }, select: { id: true, sessionVersion: true } });
          if (!u) throw new SessionEnded();
          // An SSO session keeps its ID token: signing out sends it to the IdP as id_token_hint (lib/auth/oidc/end-session-response.ts).
          const idt = account?.provider === "oidc" && typeof account.id_token === "string" ? { idt: account.id_token } : {};
          return { ...token, uid: u.id, sv: u.sessionVersion, authAt: Date.now(), ...idt };
        }
        const u =
          typeof token.uid === "string"
            ? await db.user.findUnique({ where: { id: token.uid }, select: { sessionVersion: true, disabled: true } })
            : null;
        if (sessionProblem(token as SessionClaims, u, Date.now(), maxAgeMs)) throw new SessionEnded();
        return token;
      },
      async session({ session, token }) {
        if (session.user) Object.assign(session.user, { id: token.uid, sv: token.sv, authAt: token.authAt });
        return session;
      },
    },
    events: {
      // Sign-out ends every session of the user (their version moves on), not only this cookie.
      async signOut({ token }) {
        if (typeof token?.uid === "string" && typeof token.sv === "number") {
          await db.user.updateMany({ where: { id: token.uid, sessionVersion: token.sv }, data: { sessionVersion: { increment: 1 } } });
        }
      },
    },
  };
}
