import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { safeCallbackUrl } from "@/lib/auth/redirect";
import { env, oidcEnabled } from "@/lib/config/env";
import { SignInForm } from "@/components/sign-in-form";
import { PASSWORD_EXPIRED_ERROR, PASSWORD_EXPIRED_MESSAGE } from "@/lib/auth/one-time-password";
import { NEXT_AUTH_OAUTH_ERRORS, SSO_REFUSALS } from "@/lib/auth/oidc/refusals";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  TooManyAttempts: "Too many failed sign-ins for this account or from this address. Wait a few minutes, then try again.",
  [PASSWORD_EXPIRED_ERROR]: PASSWORD_EXPIRED_MESSAGE,
  // Why single sign-on was refused (lib/auth/oidc-user.ts), and next-auth's codes for a failed round trip.
  ...SSO_REFUSALS,
  ...Object.fromEntries(NEXT_AUTH_OAUTH_ERRORS.map((code) => [code, SSO_REFUSALS.SsoFailed])),
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const target = safeCallbackUrl(callbackUrl, env().NEXTAUTH_URL ?? "http://localhost");
  if (await getCurrentUser()) redirect(target);
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-semibold">Sign in</h1>
      <SignInForm
        callbackUrl={target}
        oidcName={oidcEnabled() ? env().OIDC_NAME : null}
        initialError={error ? (ERRORS[error] ?? "Sign-in was refused. Check your details or ask an admin.") : null}
      />
    </div>
  );
}
