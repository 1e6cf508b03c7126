import Link from "next/link";
import type { CurrentUser } from "@/lib/auth/session";
import { isAllowed } from "@/lib/auth/access-table";
import { SandboxBadge } from "./sandbox-badge";
import { SignOutButton } from "./sign-out-button";

const NAV = [
  { href: "/", label: "Pipelines" },
  { href: "/accounts", label: "AWS accounts" },
];

export function SiteHeader({ user, sandbox }: { user: CurrentUser | null; sandbox: boolean }) {
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <div className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 font-semibold text-slate-900 dark:text-slate-100">
          <span aria-hidden className="inline-block h-6 w-6 rounded bg-indigo-600" />
          Crossline
        </Link>
        {sandbox && <SandboxBadge />}
        {user && (
          <nav aria-label="Main" className="flex gap-4 text-sm">
            {NAV.map((n) => (
              <Link key={n.href} href={n.href} className="text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
                {n.label}
              </Link>
            ))}
            {isAllowed("/onboardings/new", user.role) && (
              <Link href="/onboardings/new" className="text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
                Onboard
              </Link>
            )}
            {isAllowed("/admin", user.role) && (
              <Link href="/admin" className="text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
                Admin
              </Link>
            )}
          </nav>
        )}
        <div className="ml-auto flex items-center gap-3 text-sm">
          {user ? (
            <>
              <span className="text-slate-600 dark:text-slate-300" data-testid="current-user">
                {user.email} · <span className="font-medium">{user.role}</span>
              </span>
              <Link href="/account/password" className="text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
                Password
              </Link>
              <SignOutButton />
            </>
          ) : null}
        </div>
      </div>
    </header>
  );
}
