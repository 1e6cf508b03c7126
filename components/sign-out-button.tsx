"use client";

import { signOut } from "next-auth/react";

/**
 * Signs out of the portal; an SSO user is then sent to the IdP's end_session_endpoint when it has one (the
 * URL comes from /api/auth/end-session, read before the portal's cookie is cleared), so the IdP session ends too.
 */
export function SignOutButton({ sso = false }: { sso?: boolean }) {
  async function onClick() {
    const idp = sso
      ? await fetch("/api/auth/end-session", { cache: "no-store" }).then(
          (r) => (r.ok ? r.json() : null),
          () => null,
        )
      : null;
    if (typeof idp?.url !== "string") return signOut({ callbackUrl: "/signin" });
    await signOut({ redirect: false });
    window.location.assign(idp.url);
  }
  return (
    <button
      type="button"
      onClick={onClick}
      className="rounded border border-slate-300 px-2.5 py-1 text-slate-700 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-300 dark:hover:bg-slate-800"
    >
      Sign out
    </button>
  );
}
