import "server-only";
import type { NextAuthOptions } from "next-auth";
import type { Provider } from "next-auth/providers/index";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "@/lib/db";
import { env, oidcEnabled } from "@/lib/config/env";
import { recordAudit } from "@/lib/audit/append";
import { DUMMY_HASH, verifyPassword } from "./password";
import { roleFromClaim } from "./oidc-role";
import { signInOidcUser } from "./oidc-user";

const credentialsSchema = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) });

function clientOf(req: { headers?: Record<string, unknown> } | undefined) {
  const h = (req?.headers ?? {}) as Record<string, string | undefined>;
  return { ip: h["x-forwarded-for"]?.split(",")[0]?.trim() ?? h["x-real-ip"] ?? null, userAgent: h["user-agent"] ?? null };
}

const credentials = CredentialsProvider({
  id: "credentials",
  name: "Email and password",
  credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
  async authorize(raw, req) {
    const client = clientOf(req);
    const parsed = credentialsSchema.safeParse(raw);
    const email = parsed.success ? parsed.data.email.toLowerCase() : String(raw?.email ?? "").slice(0, 254);
    const user = parsed.success ? await db.user.findUnique({ where: { email } }) : null;
    const ok = parsed.success && (await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH)) && !!user?.passwordHash;
    if (!ok || !user || user.disabled) {
      const reason = !parsed.success ? "invalid input" : !user ? "unknown user" : user.disabled && ok ? "account disabled" : "wrong password";
      await recordAudit({ actor: { email, id: user?.id }, action: "auth.signin", target: { type: "user", id: user?.id ?? email }, outcome: "failure", details: { provider: "credentials", reason }, client });
      return null;
    }
    await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    await recordAudit({ actor: user, action: "auth.signin", target: { type: "user", id: user.id }, outcome: "success", details: { provider: "credentials" }, client });
    return { id: user.id, email: user.email, name: user.name, role: user.role };
  },
});

function oidcProvider(): Provider {
  const e = env();
  return {
    id: "oidc",
    name: e.OIDC_NAME,
    type: "oauth",
    wellKnown: `${e.OIDC_ISSUER!.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(profile: Record<string, unknown>) {
      return {
        id: String(profile.sub),
        email: String(profile.email ?? ""),
        name: (profile.name as string) ?? null,
        role: roleFromClaim(profile, e.OIDC_ROLE_CLAIM),
      };
    },
  } as Provider;
}

export function authOptions(): NextAuthOptions {
  const e = env();
  return {
    secret: e.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: e.SESSION_MAX_AGE_HOURS * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: oidcEnabled() ? [credentials, oidcProvider()] : [credentials],
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        const local = await signInOidcUser(user as { email?: string | null; name?: string | null; role?: string | null });
        if (!local) return "/signin?error=AccessDenied";
        user.id = local.id;
        return true;
      },
      async jwt({ token, user }) {
        if (user) token.uid = user.id;
        return token;
      },
      async session({ session, token }) {
        if (session.user) (session.user as { id?: string }).id = token.uid as string;
        return session;
      },
    },
  };
}
