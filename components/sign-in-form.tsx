"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { PASSWORD_EXPIRED_ERROR, PASSWORD_EXPIRED_MESSAGE } from "@/lib/auth/one-time-password";

export function SignInForm({
  callbackUrl,
  oidcName,
  initialError,
}: {
  callbackUrl: string;
  oidcName: string | null;
  initialError: string | null;
}) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(e.currentTarget);
    const res = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
      callbackUrl,
    });
    if (res?.ok && !res.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(
      res?.status === 429
        ? "Too many failed sign-ins for this account or from this address. Wait a few minutes, then try again."
        : res?.error === PASSWORD_EXPIRED_ERROR
          ? PASSWORD_EXPIRED_MESSAGE
          : "Email or password is incorrect, or the account is disabled.",
    );
  }

  return (
    <div className="space-y-6">
      <form
        onSubmit={onSubmit}
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-900"
        aria-describedby="signin-error"
      >
        <div>
          <label htmlFor="email" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            Email
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            className="mt-1 w-full rounded border border-slate-300 px-3 py-2 dark:border-slate-600"
          />
        </div>
        <div>
          <label htmlFor="password" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="mt-1 w-full rounded border border-slate-300 px-3 py-2 dark:border-slate-600"
          />
        </div>
        <p id="signin-error" role="alert" aria-live="polite" className="min-h-5 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
        <button
          type="submit"
          disabled={pending}
          className="w-full rounded bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {oidcName && (
        <button
          type="button"
          onClick={() => signIn("oidc", { callbackUrl })}
          className="w-full rounded border border-slate-300 bg-white px-3 py-2 font-medium hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:hover:bg-slate-800"
        >
          Continue with {oidcName}
        </button>
      )}
    </div>
  );
}
